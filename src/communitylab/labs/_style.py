"""Styles shared by every lab, injected once per lab as a ``<style>`` element.

Fonts are the browser's own (system) fonts: nothing is fetched, and Chinese text
falls back to the system CJK font (Noto Sans CJK on Debian).
"""

LAB_CSS = """
<style>
.cl-lab { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; max-width: 1260px; }
.cl-lab .cl-title { margin: 4px 0 6px 0; font-size: 1.45em; font-weight: 600; }
.cl-lab .cl-sidebar { padding-right: 12px; }
.cl-lab .cl-monitors { gap: 8px; margin: 4px 0 8px 0; flex-wrap: nowrap !important; }
.cl-lab .cl-monitors .widget-html { margin: 0; }
.cl-lab .cl-monitor-value { font-size: 1.9em; font-weight: 650; line-height: 1.15; color: #1f4e79; }
.cl-lab .cl-monitor-label { font-size: 0.82em; color: #444; line-height: 1.25; }
.cl-lab .cl-monitors > .widget-html { flex: 1 1 0; min-width: 0; border: 1px solid #d6dde6; border-radius: 6px; padding: 6px 10px; background: #f7f9fc; }
.cl-lab .cl-status { color: #777; font-size: 0.8em; }
.cl-lab .cl-error { color: #b00020; font-weight: 600; }
.cl-lab .cl-info { max-width: 960px; line-height: 1.5; }
.cl-lab .cl-info h3 { margin: 14px 0 4px 0; font-size: 1.08em; color: #1f4e79; }
.cl-lab .cl-export { font-size: 0.9em; }
.cl-lab .widget-label { white-space: normal; }
/* a long label with its unit wraps onto a second line instead of being cut off */
.cl-lab .cl-sidebar .widget-slider { height: auto; min-height: var(--jp-widgets-inline-height); align-items: center; }
.cl-lab .cl-sidebar .widget-slider .widget-label { line-height: 1.2; height: auto; overflow: visible; align-self: center; }
.cl-lab .widget-slider .widget-label, .cl-lab .widget-inline-hbox .widget-label { font-size: 0.92em; }
body.cl-present .cl-lab { font-size: 125%; }
body.cl-present .cl-lab .cl-monitor-value { font-size: 2.4em; }
</style>
"""
