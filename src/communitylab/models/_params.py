"""Self-describing, self-validating model parameters.

Every model declares a frozen dataclass whose fields are made with :func:`param`
or :func:`flag`. The field metadata (unit, allowed range, slider step, group) is
the single source of truth that the labs read to build their sliders, that the
command line reads to parse ``--set name=value``, and that validation reads to
reject a value a trainee should never reach.

Labels and help texts are not stored here: they live in the message catalogs
under ``<model>.param.<name>.label`` and ``<model>.param.<name>.help`` so that
both languages stay side by side (see :mod:`communitylab.i18n`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

__all__ = ["Spec", "ModelParams", "param", "flag", "run_days"]


@dataclass(frozen=True)
class Spec:
    """Metadata of one parameter.

    Attributes
    ----------
    unit : str
        Unit shown beside the value, e.g. ``"msgs/day"``; ``""`` for pure numbers.
    lo, hi : float
        Inclusive allowed range.
    step : float
        Slider step. Integers use ``1`` unless a coarser step is given.
    integer : bool
        Whether the value must be a whole number.
    boolean : bool
        Whether the parameter is an on/off switch (``lo``/``hi`` are 0/1).
    group : str
        Key of the control group the lab shows it in (``<model>.group.<group>``).
    log : bool
        Whether a slider should move on a logarithmic scale (ranges over decades).
    """

    unit: str
    lo: float
    hi: float
    step: float
    integer: bool = False
    boolean: bool = False
    group: str = "main"
    log: bool = False


def param(
    default: float,
    *,
    unit: str,
    lo: float,
    hi: float,
    step: float | None = None,
    integer: bool = False,
    group: str = "main",
    log: bool = False,
) -> Any:
    """Declare a numeric parameter field with its unit and allowed range.

    Parameters
    ----------
    default : float
        Value used when the caller does not give one; must lie in ``[lo, hi]``.
    unit : str
        Unit of the value (shown in slider labels and error messages).
    lo, hi : float
        Inclusive allowed range.
    step : float, optional
        Slider step; defaults to 1 for integers and ``(hi - lo) / 100`` otherwise.
    integer : bool
        Require a whole number.
    group : str
        Control group key.
    log : bool
        Prefer a logarithmic slider (for ranges spanning several decades).
    """
    if not lo <= default <= hi:
        raise ValueError(f"default {default!r} is outside its own range [{lo}, {hi}]")
    if step is None:
        step = 1 if integer else (hi - lo) / 100
    spec = Spec(unit=unit, lo=lo, hi=hi, step=step, integer=integer, group=group, log=log)
    return dataclasses.field(default=default, metadata={"spec": spec})


def flag(default: bool, *, group: str = "main") -> Any:
    """Declare an on/off parameter field (e.g. "daily check-in ritual")."""
    spec = Spec(unit="", lo=0, hi=1, step=1, boolean=True, group=group)
    return dataclasses.field(default=bool(default), metadata={"spec": spec})


def run_days(*, lo: int = 30, hi: int = 730) -> Any:
    """Declare the ``days`` a run lasts: 365 by default, a slider in steps of 5 in the Simulation group."""
    return param(365, unit="days", lo=lo, hi=hi, step=5, integer=True, group="simulation")


def _format_number(value: float) -> str:
    """Format a range bound without float noise (``0.1``, not ``0.1000000001``)."""
    return f"{value:g}"


@dataclass(frozen=True)
class ModelParams:
    """Base class of every model's parameters.

    Subclasses are frozen dataclasses whose fields are declared with :func:`param`
    or :func:`flag`, and set the class variable ``model`` to the catalog prefix.
    Construction validates every field and raises :class:`ValueError` naming the
    field, the offending value, the allowed range and the unit.
    """

    model: ClassVar[str] = "model"

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            spec: Spec | None = field.metadata.get("spec")
            if spec is None:
                continue
            value = getattr(self, field.name)
            object.__setattr__(self, field.name, self._coerce(field.name, value, spec))
        self._check_consistency()

    # -- validation -------------------------------------------------------------
    @classmethod
    def _coerce(cls, name: str, value: Any, spec: Spec) -> Any:
        """Return ``value`` as the field's type, or raise a clear ``ValueError``."""
        if spec.boolean:
            if isinstance(value, bool) or value in (0, 1):
                return bool(value)
            raise ValueError(f"{cls.model}.{name} = {value!r} must be on or off (True/False)")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"{cls.model}.{name} = {value!r} is not a number; "
                f"allowed range is [{_format_number(spec.lo)}, {_format_number(spec.hi)}] {spec.unit}".rstrip()
            ) from None
        if isinstance(value, bool) or not math.isfinite(number) or not spec.lo <= number <= spec.hi:
            raise ValueError(
                f"{cls.model}.{name} = {value!r} is outside the allowed range "
                f"[{_format_number(spec.lo)}, {_format_number(spec.hi)}] {spec.unit}".rstrip()
            )
        if spec.integer:
            if number != int(number):
                raise ValueError(f"{cls.model}.{name} = {value!r} must be a whole number ({spec.unit})")
            return int(number)
        return number

    def _check_consistency(self) -> None:
        """Hook for rules that involve several fields (override in a model)."""

    # -- metadata -----------------------------------------------------------------
    @classmethod
    def specs(cls) -> dict[str, Spec]:
        """Metadata of every declared parameter, in declaration order."""
        return {f.name: f.metadata["spec"] for f in dataclasses.fields(cls) if "spec" in f.metadata}

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Default value of every declared parameter."""
        return {f.name: f.default for f in dataclasses.fields(cls) if "spec" in f.metadata}

    @classmethod
    def label_key(cls, name: str) -> str:
        """Catalog key of a parameter's short label."""
        return f"{cls.model}.param.{name}.label"

    @classmethod
    def help_key(cls, name: str) -> str:
        """Catalog key of a parameter's one-line help text."""
        return f"{cls.model}.param.{name}.help"

    @classmethod
    def spec(cls, name: str) -> Spec:
        """Metadata of parameter ``name``; ``ValueError`` listing the known names if there is none."""
        specs = cls.specs()
        if name not in specs:
            raise ValueError(f"{cls.model} has no parameter {name!r}; known: {', '.join(specs)}")
        return specs[name]

    @classmethod
    def check_values(cls, name: str, values: Any) -> None:
        """Raise the ``ValueError`` of a single value for the first of ``values`` outside ``name``'s range.

        For functions that run many values of one parameter at once (grids, batches)
        without building a ``Params`` for each; NaN counts as outside.
        """
        spec = cls.spec(name)
        values = np.asarray(values, dtype=float)
        bad = values[~((values >= spec.lo) & (values <= spec.hi))]
        if bad.size:
            cls._coerce(name, float(bad.flat[0]), spec)

    @classmethod
    def clip(cls, name: str, value: float) -> float:
        """``value`` moved to the nearest end of ``name``'s range if it lies outside.

        For couplings that hand one model's output to another model as a parameter
        (the capstone): a result may fall outside the range a slider allows.
        """
        spec = cls.spec(name)
        return float(min(spec.hi, max(spec.lo, value)))

    @classmethod
    def parse(cls, name: str, text: str) -> Any:
        """Parse a command-line value for field ``name`` (``"true"``, ``"0.3"``, ``"500"``)."""
        if cls.spec(name).boolean:
            lowered = text.strip().lower()
            if lowered in ("1", "true", "on", "yes"):
                return True
            if lowered in ("0", "false", "off", "no"):
                return False
            raise ValueError(f"{cls.model}.{name} = {text!r} must be on or off (true/false)")
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{cls.model}.{name} = {text!r} is not a number") from None

    # -- convenience -------------------------------------------------------------
    def replace(self, **changes: Any) -> ModelParams:
        """Return a copy with some fields changed (validated like a new instance)."""
        unknown = sorted(set(changes) - set(self.specs()))
        if unknown:
            raise ValueError(f"{self.model} has no parameter {', '.join(map(repr, unknown))}")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain ``{name: value}`` of every declared parameter."""
        return {name: getattr(self, name) for name in self.specs()}
