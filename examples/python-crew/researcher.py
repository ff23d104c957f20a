"""The researcher agent: writes its findings to the crew's shared namespace, then hands off."""

import datetime
import uuid

import engram_client as engram

SHARED = ["crew", "findings"]
HANDOFFS = ["crew", "handoffs"]

FINDINGS = [
    ("Solid-state batteries reach 500 Wh/kg in lab cells", ["batteries"]),
    ("Sodium-ion cells cost about 30% less than LFP at scale", ["batteries", "cost"]),
    ("Grid storage demand doubles by 2030 in most forecasts", ["grid"]),
]

if __name__ == "__main__":
    created = 0
    for content, tags in FINDINGS:
        result = engram.remember(SHARED, content, kind="fact", tags=tags, metadata={"agent": "researcher"})
        created += result["status"] == "created"
        print(f"researcher: {result['status']} {result['id']}: {content}", flush=True)
    # Findings already known are skipped (no event), so a rerun would leave the writer waiting:
    # the handoff is what tells it the research is done. Each run's handoff is new (its run id).
    at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    run = uuid.uuid4().hex[:8]
    engram.remember(
        HANDOFFS,
        f"Research run {run} finished at {at}: {len(FINDINGS)} findings, {created} new",
        kind="episode",
        key="researcher",
        metadata={"agent": "researcher", "run": run},
    )
    print(f"researcher: handed off run {run}", flush=True)
