"""The survey figures as an XLSX workbook (openpyxl): the same numbers as the results page,
small groups hidden the same way, no respondent named."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook

from portal.needs.borich import NeedFigures
from portal.needs.results import DIMENSIONS, GroupedResults


def _headers() -> list[str]:
    return [_("Group"), _("Competency"), _("Rank"), _("N"), _("Mean importance"),
            _("Mean proficiency"), _("Mean discrepancy"), _("MWDS"),
            _("N with supervisor rating"), _("Self minus supervisor")]


def _row(group: str, f: NeedFigures) -> list:
    return [group, f.competency, f.rank, f.n, f.mean_importance, f.mean_proficiency,
            f.mean_discrepancy, f.mwds, f.n_supervisor, f.mean_self_minus_supervisor]


def dimension_label(dimension: str) -> str:
    """Translated name of a grouping of :data:`portal.needs.results.DIMENSIONS`."""
    return {"agency": _("Agency"), "unit": _("Unit"), "jabatan": _("Jabatan")}[dimension]


def results_workbook(title: str, results: GroupedResults) -> bytes:
    """An XLSX file: a sheet of the overall figures and one per grouping (agency, unit,
    jabatan). Means and MWDS are unrounded numbers shown with 2 decimals; a hidden group
    has one row saying how many answered and that its figures are hidden.

    Returns:
        The workbook's bytes.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = _("All")[:31]
    sheet.append([title])
    sheet.append([_("Respondents"), results.respondents])
    sheet.append(_headers())
    if results.hidden_overall:
        sheet.append([_("Hidden: fewer than %(num)d respondents.", num=results.min_group_size)])
    for f in results.overall:
        sheet.append(_row(_("All"), f))
    sheets = [sheet]
    for dimension in DIMENSIONS:
        sheet = book.create_sheet(dimension_label(dimension)[:31])
        sheet.append(_headers())
        for group in results.groups[dimension]:
            if group.hidden:
                sheet.append([str(group.group), _("Hidden: fewer than %(num)d respondents.",
                                                  num=results.min_group_size)])
                continue
            for f in group.rows:
                sheet.append(_row(str(group.group), f))
        sheets.append(sheet)
    for sheet in sheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
