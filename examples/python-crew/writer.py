"""The writer agent: follows the shared namespace's event stream, then recalls what it needs."""

import sys

import engram_client as engram

SHARED = ["crew", "findings"]

if __name__ == "__main__":
    expected = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    seen = 0
    for event_type, event in engram.follow_events(SHARED):
        if event_type == "ready":
            print("writer: listening", flush=True)
            continue
        print(f"writer: {event_type} {event['memoryId']} in {'/'.join(event['namespace'])}", flush=True)
        seen += 1
        if seen >= expected:
            break
    memories = engram.search("How cheap are sodium-ion batteries?", within=SHARED, limit=3)
    print("writer: draft based on:", flush=True)
    for memory in memories:
        print(f"writer: - {memory['content']} (score {memory['score']:.2f})", flush=True)
