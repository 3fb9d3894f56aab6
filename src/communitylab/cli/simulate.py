"""``communitylab simulate MODEL [--set name=value ...] [--seed N] [--json] [--list]``."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from types import ModuleType

from communitylab.cli import EXIT_USAGE
from communitylab.models import get_model

__all__ = ["run", "parse_settings"]


def parse_settings(model: ModuleType, pairs: Sequence[str]) -> dict[str, object]:
    """``["name=value", ...]`` as typed parameter values of ``model``; ``ValueError`` names what is wrong."""
    settings: dict[str, object] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            raise ValueError(f"--set expects name=value, got {pair!r}")
        settings[name.strip()] = model.Params.parse(name.strip(), text)
    return settings


def _print_parameters(model: ModuleType) -> None:
    defaults = model.Params.defaults()
    for name, spec in model.Params.specs().items():
        print(f"{name:28s} default {defaults[name]!s:>8}  range [{spec.lo:g}, {spec.hi:g}] {spec.unit}")


def run(args: argparse.Namespace) -> int:
    """Run one model with optional parameter changes and print its summary."""
    try:
        model = get_model(args.model)
    except (KeyError, ModuleNotFoundError) as error:
        print(f"communitylab simulate: {error.args[0] if error.args else error}", file=sys.stderr)
        return EXIT_USAGE
    if args.list:
        _print_parameters(model)
        return 0
    try:
        params = model.Params(**parse_settings(model, args.settings))
    except ValueError as error:
        print(f"communitylab simulate: {error}", file=sys.stderr)
        return EXIT_USAGE
    summary = model.simulate(params, seed=args.seed).summary()
    if args.json:
        # NaN ("never went quiet") and inf ("no payer, infinite CAC") are not JSON: print them as null.
        clean = {
            key: (None if isinstance(value, float) and not math.isfinite(value) else value)
            for key, value in summary.items()
        }
        payload = {"model": args.model, "seed": args.seed, "params": params.to_dict(), "summary": clean}
        print(json.dumps(payload, ensure_ascii=False, allow_nan=False))
    else:
        width = max(map(len, summary))
        for key, value in summary.items():
            print(f"{key:{width}s}  {value:.6g}" if isinstance(value, float) else f"{key:{width}s}  {value}")
    return 0
