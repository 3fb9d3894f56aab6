"""``python -m communitylab.cli``: the same as the ``communitylab`` command."""

from communitylab.cli import main

raise SystemExit(main())
