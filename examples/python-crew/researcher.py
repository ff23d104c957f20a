"""The researcher agent: writes its findings to the crew's shared namespace."""

import engram_client as engram

SHARED = ["crew", "findings"]

FINDINGS = [
    ("Solid-state batteries reach 500 Wh/kg in lab cells", ["batteries"]),
    ("Sodium-ion cells cost about 30% less than LFP at scale", ["batteries", "cost"]),
    ("Grid storage demand doubles by 2030 in most forecasts", ["grid"]),
]

if __name__ == "__main__":
    for content, tags in FINDINGS:
        result = engram.remember(SHARED, content, kind="fact", tags=tags, metadata={"agent": "researcher"})
        print(f"researcher: {result['status']} {result['id']}: {content}", flush=True)
