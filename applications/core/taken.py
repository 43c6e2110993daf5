"""Work for the background worker (django-q2's `qcluster`), queued in the database.

`later` is the one way the portal hands work to the worker. The queue is a table in the portal's own
database (django-q2's ORM broker), so a task queued inside a transaction exists exactly when that
transaction commits: no e-mail for a change that was rolled back, none lost after a commit.

`elke_dag` and `elke_paar_minuten` keep a schedule (what used to be a cron line) in the database;
apps call them from a post_migrate handler, so `migrate` sets the schedules up on every server.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task


def later(func: str, *args: object) -> None:
    """Queue `func(*args)` (a dotted path) for the worker, in the caller's transaction."""
    async_task(func, *args, task_name=func.rsplit(".", 1)[-1])


def elke_dag(naam: str, func: str, *, args: str = "", uur: int, minuut: int = 0) -> None:
    """Run `func` once a day at about `uur`:`minuut` Brussels time (django-q2 adds 24 hours, so the
    time shifts one hour with summer time)."""
    nu = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE))
    eerste = nu.replace(hour=uur, minute=minuut, second=0, microsecond=0)
    if eerste <= nu:
        eerste += datetime.timedelta(days=1)
    _schema(naam, func, args=args, schedule_type=Schedule.DAILY, minutes=None, next_run=eerste)


def elke_paar_minuten(naam: str, func: str, *, args: str = "", minuten: int) -> None:
    """Run `func` every `minuten` minutes."""
    _schema(
        naam,
        func,
        args=args,
        schedule_type=Schedule.MINUTES,
        minutes=minuten,
        next_run=timezone.now(),
    )


def _schema(
    naam: str,
    func: str,
    *,
    args: str,
    schedule_type: str,
    minutes: int | None,
    next_run: datetime.datetime,
) -> None:
    """Create the schedule `naam`, or bring its function and rhythm up to date (keeping when it
    runs next, so a migrate never makes a daily job run twice)."""
    bestaand = Schedule.objects.filter(name=naam).first()
    if bestaand is None:
        Schedule.objects.create(
            name=naam,
            func=func,
            args=args or None,
            schedule_type=schedule_type,
            minutes=minutes,
            next_run=next_run,
            repeats=-1,
        )
        return
    Schedule.objects.filter(pk=bestaand.pk).update(
        func=func, args=args or None, schedule_type=schedule_type, minutes=minutes, repeats=-1
    )
