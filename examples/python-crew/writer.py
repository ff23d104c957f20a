"""The writer agent: follows the crew's event stream until the researcher hands off, then drafts."""

import engram_client as engram

CREW = ["crew"]
SHARED = ["crew", "findings"]

if __name__ == "__main__":
    for event_type, event in engram.follow_events(CREW):
        if event_type == "ready":
            print("writer: listening", flush=True)
            continue
        where = "/".join(event["namespace"])
        if where == "crew/handoffs":
            print(f"writer: the researcher handed off ({event_type})", flush=True)
            break
        print(f"writer: {event_type} {event['memoryId']} in {where}", flush=True)
    # Everything the crew found so far, this run's findings and earlier ones alike.
    memories = engram.search("How cheap are sodium-ion batteries?", within=SHARED, limit=3)
    print("writer: draft based on:", flush=True)
    for memory in memories:
        print(f"writer: - {memory['content']} (score {memory['score']:.2f})", flush=True)
