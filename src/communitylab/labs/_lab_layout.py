"""Where a lab's widgets sit and what they say: the controls, the page's layout, the labels and the Info panel.

A mixin of :class:`~communitylab.labs._base.ModelLab`, which makes the widgets in ``__init__`` (``_title``,
``_preset``, ``_seed_box``, the buttons, ``_monitor_boxes``, ``_chart``, ``_info``, ...) and owns what the lab
does with them (wiring, recomputing, showing a result); this part builds a control per parameter from the
model's metadata, lays the page out, and writes every label and the Info panel (NetLogo's headings) in the
language in force. Moved out of ``_base.py`` as it was, so that module stays under ~400 lines (issue 14.9).
"""

from __future__ import annotations

import re

import ipywidgets as W
import mistune

from communitylab.i18n import t
from communitylab.labs._style import LAB_CSS
from communitylab.labs._widgets import make_control

__all__ = ["INFO_SECTIONS", "LabLayout"]

#: NetLogo's Info-tab headings, in order; each has a catalog text per model.
INFO_SECTIONS: tuple[str, ...] = ("what", "how_works", "how_use", "notice", "try", "extend", "related", "credits")


class LabLayout:
    """Build a lab's controls and page, and label them (and the Info panel) in the language in force."""

    def _build_controls(self) -> list[W.Widget]:
        groups: dict[str, list[W.Widget]] = {}
        for name, spec in self._control_specs.items():
            control = make_control(spec, getattr(self._params, name), continuous_update=self.continuous_update)
            control.add_class(f"cl-param-{name}")
            self._controls[name] = control
            groups.setdefault(spec.group, []).append(control)
        self._group_names = list(groups)
        return [W.VBox(controls, layout=W.Layout(padding="2px 0")) for controls in groups.values()]

    def _layout(self) -> list[W.Widget]:
        header = W.HBox(
            [self._title, self._language], layout=W.Layout(justify_content="space-between", align_items="center")
        )
        header.add_class("cl-header")
        tools = W.VBox(
            [
                W.HBox([self._preset]) if self.presets else W.HBox(),
                W.HBox([self._seed_box, self._reset_button], layout=W.Layout(align_items="center")),
                W.HBox([self._pin_button, self._clear_button]),
                W.HBox([self._export_button, self._export_link], layout=W.Layout(align_items="center")),
            ]
        )
        sidebar = W.VBox([tools, self._groups], layout=W.Layout(width="400px", min_width="400px"))
        sidebar.add_class("cl-sidebar")
        monitors = W.HBox(list(self._monitor_boxes.values()))
        monitors.add_class("cl-monitors")
        center = W.VBox([monitors, self._chart, self._status], layout=W.Layout(flex="1 1 auto", min_width="0"))
        body = W.HBox([sidebar, center], layout=W.Layout(width="100%"))
        predict = [self._prediction] if self._prediction is not None else []
        return [W.HTML(LAB_CSS), header, *predict, body, self._info_box]

    def _relabel(self, lang: str) -> None:
        with self._quietly():
            self._language.value = lang
            self._title.value = f'<h2 class="cl-title">{self.text("title")}</h2>'
            params = self.model.Params
            for name, control in self._controls.items():
                spec = self._control_specs[name]
                label = t(params.label_key(name))
                unit = t(f"common.unit.{spec.unit}") if spec.unit else ""
                control.description = t("common.label_with_unit", label=label, unit=unit) if unit else label
                control.tooltip = t(params.help_key(name))
            for index, group in enumerate(self._group_names):
                self._groups.set_title(index, self.text(f"group.{group}"))
            open_index = next((i for i, g in enumerate(self._group_names) if g in self.open_groups), 0)
            self._groups.selected_index = (
                open_index if self._groups.selected_index is None else self._groups.selected_index
            )
            self._seed_box.description = t("common.seed")
            self._seed_box.tooltip = t("common.seed_help")
            self._reset_button.description = t("common.reset")
            self._reset_button.tooltip = t("common.reset_help")
            self._pin_button.description = t("common.pin")
            self._pin_button.tooltip = t("common.pin_help")
            self._clear_button.description = t("common.clear_pins")
            self._export_button.description = t("common.export_csv")
            current = self._preset.value or ""
            self._preset.options = [(t("common.preset_none"), "")] + [
                (self.text(f"preset.{key}"), key) for key in self.presets
            ]
            self._preset.value = current
            self._preset.description = t("common.preset")
            self._info_box.set_title(0, t("common.info_title"))
            self._info.value = self._info_html()
            if self._prediction is not None:
                self._prediction.relabel()

    def _info_html(self) -> str:
        parts = []
        for section in INFO_SECTIONS:
            parts.append(f"<h3>{t(f'common.info.{section}')}</h3>")
            parts.append(mistune.html(_join_cjk_lines(self.text(f"info.{section}"))))
        return f'<div class="cl-info">{"".join(parts)}</div>'


# A line break inside a Chinese sentence must not become a space, as Markdown makes it.
_CJK_LINE_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n[ \t]*(?=[\u3000-\u9fff\uff00-\uffef])")


def _join_cjk_lines(text: str) -> str:
    """Markdown source with the line breaks between two CJK characters removed."""
    return _CJK_LINE_BREAK.sub("", text)
