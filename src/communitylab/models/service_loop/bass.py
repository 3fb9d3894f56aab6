"""The closed-form Bass (1969) diffusion curve: the anchor the service-loop simulation reproduces.

With referral, churn and the loop switched off and onboarding instant, the daily
simulation of :mod:`~communitylab.models.service_loop` follows this curve; the
tests check the peak year and the adopted shares against it.
"""

from __future__ import annotations

import numpy as np

from communitylab.models._model import FloatArray

__all__ = ["bass_adoption", "bass_peak"]


def bass_adoption(p: float, q: float, years) -> FloatArray:
    """Cumulative adopted share of the market in the continuous Bass (1969) model.

    ``F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t))``.

    Parameters
    ----------
    p : float
        Coefficient of innovation (1/yr), ``>= 0``.
    q : float
        Coefficient of imitation (1/yr), ``>= 0``.
    years : array_like of float
        Times since launch (yr), ``>= 0``.

    Returns
    -------
    ndarray of float
        ``F(t)`` in [0, 1], same shape as ``years``.

    Examples
    --------
    >>> round(float(bass_adoption(0.03, 0.38, 1.0)), 4)
    0.0358
    """
    if p < 0 or q < 0:
        raise ValueError(f"Bass coefficients must be >= 0, got p = {p!r}, q = {q!r}")
    t = np.asarray(years, dtype=float)
    if p == 0:
        return np.zeros_like(t)  # without innovators nobody is ever first
    decay = np.exp(-(p + q) * t)
    return (1.0 - decay) / (1.0 + (q / p) * decay)


def bass_peak(p: float, q: float) -> tuple[float, float]:
    """Year of peak adoption and the adopted share then, in the continuous Bass model.

    Returns
    -------
    (float, float)
        ``ln(q / p) / (p + q)`` (yr) and ``1/2 - p / (2 q)``; ``(0, 0)`` when
        ``q <= p`` (adoption is fastest at launch).
    """
    if p <= 0 or q <= p:
        return 0.0, 0.0
    return float(np.log(q / p) / (p + q)), 0.5 - p / (2 * q)
