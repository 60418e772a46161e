import datetime as dt

from prongsai.measures.services import DONE, IN_PROGRESS, OVERDUE, PLANNED, year_progress
from prongsai.web.tests import factories


def test_it_counts_done_and_monitored_per_round_and_indicator(plan):
    factories.make_measure(plan, order=3, title="การป้องกันการทุจริต", indicator=None, rounds=[3, 6])
    progress = year_progress(plan=plan, today=dt.date(2020, 2, 15))
    cells = {row.measure.order: [c.status for c in row.cells] for row in progress.rows}
    assert cells == {
        1: ["", DONE, "", PLANNED],
        2: ["", "", "", PLANNED],
        3: [OVERDUE, IN_PROGRESS, "", ""],
    }
    assert [(m, p.done, p.monitored) for m, p in progress.by_round.items()] == [
        (3, 0, 1), (6, 1, 2), (9, 0, 0), (12, 0, 2)]
    assert progress.by_round[6].percent == 50
    assert list(progress.by_indicator) == [2, 9, None]  # by number, "no indicator" last
    assert (progress.by_indicator[2].done, progress.by_indicator[2].monitored) == (1, 2)
    assert progress.by_indicator[None].counts[OVERDUE] == 1
    assert (progress.overall.done, progress.overall.monitored) == (1, 5)
