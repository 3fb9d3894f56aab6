"""``communitylab simulate MODEL [--set name=value ...] [--seed N] [--json]``."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence

from communitylab.models import MODELS, get_model

EXIT_USAGE = 2


def _parse_settings(model, pairs: Sequence[str]) -> dict[str, object]:
    settings: dict[str, object] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            raise ValueError(f"--set expects name=value, got {pair!r}")
        settings[name.strip()] = model.Params.parse(name.strip(), text)
    return settings


def main(argv: Sequence[str]) -> int:
    """Run one model with optional parameter changes and print its summary."""
    parser = argparse.ArgumentParser(prog="communitylab simulate", description="Run a model and print its summary.")
    parser.add_argument("model", help=f"one of: {', '.join(MODELS)}")
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change a parameter (repeatable)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--list", action="store_true", help="list the model's parameters with units and ranges")
    args = parser.parse_args(argv)
    try:
        model = get_model(args.model)
    except (KeyError, ModuleNotFoundError) as error:
        print(f"communitylab simulate: {error.args[0] if error.args else error}", file=sys.stderr)
        return EXIT_USAGE
    if args.list:
        for name, spec in model.Params.specs().items():
            default = model.Params.defaults()[name]
            print(f"{name:28s} default {default!s:>8}  range [{spec.lo:g}, {spec.hi:g}] {spec.unit}")
        return 0
    try:
        params = model.Params(**_parse_settings(model, args.settings))
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
        print(
            json.dumps(
                {"model": args.model, "seed": args.seed, "params": params.to_dict(), "summary": clean},
                ensure_ascii=False,
                allow_nan=False,
            )
        )
    else:
        width = max(map(len, summary))
        for key, value in summary.items():
            print(f"{key:{width}s}  {value:.6g}" if isinstance(value, float) else f"{key:{width}s}  {value}")
    return 0
