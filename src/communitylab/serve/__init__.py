"""Serving the course with Voila, to one laptop or a room of learners (what ``communitylab present`` runs).

============  ===============================================================
``plan``      what to serve and for how many: pools, the kernel cap, memory
``app``       the Voila application with the course's guards and limits
``guards``    Host header, course paths, error and room-full pages
``kernels``   pools under a cap, a slot for each page, culling closed pages
``channels``  the kernel websocket, with tracebacks and file paths scrubbed
``address``   LAN addresses, the access token and the QR code of a room
============  ===============================================================
"""

from communitylab.serve.plan import LANDING, ServePlan, lesson_notebooks, preheat_notebooks

__all__ = ["LANDING", "ServePlan", "lesson_notebooks", "preheat_notebooks"]
