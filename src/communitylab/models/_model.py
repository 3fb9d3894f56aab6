"""The shape every model shares: its metadata, ``simulate``, ``sweep`` and the result basics.

A model module is its equations and its metadata:

* ``Params``, a frozen dataclass of :class:`~communitylab.models._params.ModelParams`
  (every field with its unit, range and control group);
* ``Result``, a frozen dataclass of :class:`ModelResult` (or :class:`DailyResult` for a
  run over days) whose ``summary()`` gives the monitors and whose ``SERIES`` names the
  arrays a chart or a table shows;
* the equations, ending in a kernel ``_simulate(params, seed) -> Result`` that may assume
  valid parameters;
* ``SOURCES`` and ``ASSUMPTIONS``: what the model rests on, published (:class:`Source`)
  or chosen by the course (:class:`Assumption`);
* ``MODEL = Model(Params, Result, _simulate, sources=SOURCES, assumptions=ASSUMPTIONS)``,
  then ``simulate = MODEL.simulate`` and ``sweep = MODEL.sweep``: the public contract.

Labs, exercises, the command line and the benchmarks use only that contract
(``Params``, ``simulate``, ``Result.summary()``, ``Result.series()``, ``sweep``), so a
new model plugs into all of them once it is listed in :data:`communitylab.models.MODELS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from communitylab.models._params import ModelParams
from communitylab.models._sweep import run_seeds, sweep_rows

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FloatArray",
    "IntArray",
    "Evidence",
    "Source",
    "Assumption",
    "ModelResult",
    "DailyResult",
    "Model",
]

#: A float series, e.g. one value per day, shape ``(days,)``.
FloatArray = NDArray[np.float64]
#: An integer array, e.g. day indices or per-member counts.
IntArray = NDArray[np.int64]


class Evidence(Enum):
    """How far a source was checked for this course (for the model reference; Info panels do not show it)."""

    #: Checked against the paper, its abstract or its landing page.
    VERIFIED = "verified"
    #: Checked only through secondary summaries of the paper.
    SECONDARY = "secondary"
    #: A standard reference cited from memory, not re-checked.
    RECALLED = "recalled"
    #: A practitioner rule of thumb or platform rule, commonly reported, not traced to a primary source.
    COMMONLY_REPORTED = "commonly reported, unverified"


@dataclass(frozen=True)
class Source:
    """A published work a model takes a form or a number from.

    Attributes
    ----------
    citation : str
        Authors, year and venue, e.g. ``"Bass (1969) Management Science 15(5):215-227"``.
    used_for : str
        What the model takes from it (a functional form, a default value, an anchor its tests reproduce).
    evidence : Evidence
        How far the citation was checked.
    fields : tuple of str
        Parameters whose default, or ``summary()`` monitors whose tested figure, comes from it;
        empty when the model borrows only a form.
    """

    citation: str
    used_for: str
    evidence: Evidence = Evidence.VERIFIED
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assumption:
    """A form or a number the course chose without a published source (a course assumption).

    Attributes
    ----------
    what : str
        The assumption in one sentence.
    fields : tuple of str
        Parameters, ``summary()`` monitors or result arrays whose values rest on it; lessons
        label them as assumptions.
    """

    what: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelResult:
    """Base class of every model's result: the parameters of the run and the monitors.

    Subclasses are frozen dataclasses that add their arrays as fields, list the arrays a
    chart shows in ``SERIES`` and implement :meth:`summary`.

    Attributes
    ----------
    params : ModelParams
        The parameters of the run.
    """

    params: ModelParams
    #: Names of the arrays :meth:`series` returns, in the order charts and tables show them.
    SERIES: ClassVar[tuple[str, ...]] = ()

    def summary(self) -> dict[str, float]:
        """Monitor values of the run, ``{name: value}``; each model documents its names and units."""
        raise NotImplementedError

    def series(self) -> dict[str, FloatArray]:
        """The arrays named in ``SERIES``, by name (for charts and tables)."""
        return {name: getattr(self, name) for name in self.SERIES}


@dataclass(frozen=True)
class DailyResult(ModelResult):
    """A result whose series run over days.

    Attributes
    ----------
    day : (days,) ndarray of int
        Day index, the shared x axis of the series; 0 is the first day.
    """

    day: IntArray


P = TypeVar("P", bound=ModelParams)
R = TypeVar("R", bound=ModelResult)


class Model(Generic[P, R]):
    """One simulation model: its parameters, its result, its kernel and what it rests on.

    Parameters
    ----------
    params : type
        The model's ``Params`` class; its ``model`` class variable is the model's name,
        registry key and message-catalog prefix.
    result : type
        The model's ``Result`` class.
    run : callable
        The kernel ``run(params, seed) -> Result``: the equations, given valid parameters.
    sources : iterable of Source
        Published works the model takes forms or numbers from.
    assumptions : iterable of Assumption
        What the course chose without a published source.
    deterministic : bool
        True when the seed changes nothing (the model has no randomness); ``simulate``
        still accepts a seed so that every model has the same signature.
    """

    def __init__(
        self,
        params: type[P],
        result: type[R],
        run: Callable[[P, int], R],
        *,
        sources: Iterable[Source] = (),
        assumptions: Iterable[Assumption] = (),
        deterministic: bool = False,
    ) -> None:
        self.Params = params
        self.Result = result
        self._run = run
        self.sources = tuple(sources)
        self.assumptions = tuple(assumptions)
        self.deterministic = deterministic

    @property
    def name(self) -> str:
        """Short name: the registry key and the prefix of the model's catalog keys."""
        return self.Params.model

    def __repr__(self) -> str:
        return f"Model({self.name!r})"

    def assumed_fields(self) -> frozenset[str]:
        """Parameters and monitors whose values are course assumptions."""
        return frozenset(field for assumption in self.assumptions for field in assumption.fields)

    def simulate(self, params: P, seed: int = 0) -> R:
        """Run the model once.

        Parameters
        ----------
        params : Params
            The model's parameters (validated when they were made).
        seed : int
            Seed of every random draw; the same parameters and seed give bit-identical
            output. Deterministic models accept it and ignore it.

        Returns
        -------
        Result
            The whole run: its arrays (see the model's ``Result``) and ``summary()``.

        Raises
        ------
        ValueError
            If ``params`` belongs to another model.
        """
        if not isinstance(params, self.Params):
            raise ValueError(f"expected {self.name} Params, got {type(params).__name__}")
        return self._run(params, seed)

    def sweep(
        self, params: P, field: str, values: Iterable[Any], runs: int = 1, seed: int = 0, progress: bool | None = None
    ) -> pd.DataFrame:
        """Summaries of runs over values of one parameter, as a tidy DataFrame.

        Parameters
        ----------
        params : Params
            Base parameters; ``field`` is replaced by each value in turn.
        field : str
            Name of the parameter to vary.
        values : iterable
            Values of ``field``; all are validated like any parameter before any run.
        runs : int
            Repetitions per value with different seeds (the same seeds for every value,
            so differences between values are not seed noise). A deterministic model
            repeats identical rows.
        seed : int
            Root seed of the sweep.
        progress : bool, optional
            Force the progress bar on or off; by default it appears once the sweep has
            taken longer than one second. Never shown inside a Voila app.

        Returns
        -------
        pandas.DataFrame
            One row per (value, run): the swept field, ``run``, ``seed`` and one column
            per ``summary()`` monitor.
        """
        import pandas as pd  # only here: the simulation kernels stay pandas-free

        if runs < 1:
            raise ValueError(f"runs = {runs!r} must be at least 1")
        params.spec(field)  # a clear error for an unknown name
        variants = [params.replace(**{field: value}) for value in values]
        return pd.DataFrame(sweep_rows(self.simulate, variants, field, run_seeds(seed, runs), progress))
