"""What one scrape of the bot's /metrics costs the database as the queue and the history grow.

    python -m bench.metrics_scrape [--queued 100000] [--history 0,100000,1000000]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

For each history size, on a fresh PostgreSQL database: --queued requests from queued/2 users (as
bench.queue_throughput fills them) and that many requests done before, then VACUUM ANALYZE.
Medians, in ms, of:
  - scrape: GET /metrics over loopback (the database reads of bot/runtime/dbgauges.py, and the
    text of every metric), once the count of finished requests is known;
  - reads: the per-scrape database reads alone (queue, running, oldest, workers, new finishes);
  - recount: the count of all finished requests by status, done every 5 minutes in the background;
  - group by: what a naive scrape would run instead, `SELECT status, count(*) ... GROUP BY status`.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import aiohttp
from sqlalchemy import text

from bench.queue_throughput import atimed, fill, fill_history, postgres_database
from bot.metrics import BotMetrics
from bot.runtime import dbgauges
from bot.runtime.health import ServiceState, bound_port, start_health_server, stop_health_server
from stylebot import monitoring
from stylebot.database import async_session_factory, make_async_engine, make_engine
from stylebot.migrate import upgrade_to_head
from stylebot.models import utcnow


async def measure(url: str) -> dict[str, float]:
    dbgauges.FRESH_SECONDS = 0.0  # every scrape reads the database
    engine = make_async_engine(url)
    sessions = async_session_factory(engine)
    metrics = BotMetrics()
    runner = await start_health_server(
        host="127.0.0.1", port=0, state=ServiceState(True, True), metrics=metrics, sessions=sessions
    )
    address = f"http://127.0.0.1:{bound_port(runner)}/metrics"
    async with aiohttp.ClientSession() as http:

        async def scrape() -> None:
            async with http.get(address) as response:
                body = await response.text()
            assert "stylebot_database_up 1.0" in body, body

        async def reads() -> None:
            async with sessions() as session, session.begin():
                await monitoring.queue_now(session=session, now=utcnow())
                await monitoring.finished_after(session=session, after=utcnow() - dbgauges.SETTLE, limit=5000)

        async def recount() -> None:
            async with sessions() as session:
                await monitoring.finished_totals(session=session)

        async def group_by() -> None:
            async with sessions() as session:
                (await session.execute(text("SELECT status, count(*) FROM requests GROUP BY status"))).all()

        await scrape()  # the first one starts the count of finished requests
        figures = {
            "scrape": await atimed(scrape, least=5, most=30, budget_s=10),
            "reads": await atimed(reads, least=5, most=30, budget_s=10),
            "recount": await atimed(recount, least=3, most=10, budget_s=20),
            "group by": await atimed(group_by, least=3, most=10, budget_s=20),
        }
    await stop_health_server(runner)
    await engine.dispose()
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queued", type=int, default=100_000)
    parser.add_argument("--history", default="0,100000,1000000", help="comma-separated sizes")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    for history in (int(size) for size in args.history.split(",")):
        with postgres_database(args.postgres) as url:
            upgrade_to_head(url)
            sync = make_engine(url)
            fill(sync, count=args.queued, users=args.queued // 2)
            fill_history(sync, count=history, users=args.queued // 2)
            with sync.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            sync.dispose()
            rows.append({"history": history, **asyncio.run(measure(url))})
            print(f"measured {args.queued} queued, {history} done", flush=True)
    print(f"\nPostgreSQL, {args.queued:,} queued; medians in ms")
    print("| done before | GET /metrics | reads per scrape | recount (every 5 min) | naive GROUP BY |")
    print("|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['history']:,} | {row['scrape']:.1f} | {row['reads']:.1f} | {row['recount']:.1f} "
            f"| {row['group by']:.1f} |"
        )


if __name__ == "__main__":
    main()
