#!/usr/bin/env python3
"""Closed-loop load on a running `trm serve` (loopback): N clients, each sending POST /v1/solve again as soon as its answer
arrives, for a fixed time per concurrency. Prints throughput, mean/p50/p95/p99 latency, the mean time the server itself
reports per answer ("seconds": from taking the request to its answer) and errors per concurrency, the HTTP floor (p50 of
GET /healthz from one client), and the server's resident memory (process_working_set_bytes from /metrics) before and
after. Standard library only.

  python3 scripts/bench-serve.py --url http://127.0.0.1:8080 --puzzles test.csv --concurrency 1 8 64 --seconds 30 [--out bench-serve.json]

--puzzles: one Sudoku a line, or the CSV trm data generate-sudoku writes (its question column)."""
import argparse, http.client, json, statistics, threading, time, urllib.parse

def read_puzzles(path):
    lines = [l.strip() for l in open(path) if l.strip()]
    if lines and lines[0].startswith("source,question"):
        return [l.split(",")[1] for l in lines[1:]]
    return lines

def resident_bytes(url):
    u = urllib.parse.urlparse(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    c.request("GET", "/metrics")
    for line in c.getresponse().read().decode().splitlines():
        if line.startswith("process_working_set_bytes "):
            return float(line.split()[1])
    return float("nan")

def http_floor(url, count=500):
    """p50 of GET /healthz round trips from one kept-alive connection: what HTTP alone costs here."""
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        times.append(time.perf_counter() - start)
    return statistics.median(times)

def run(url, puzzles, clients, seconds):
    u = urllib.parse.urlparse(url)
    latencies, server, errors, lock = [], [], {}, threading.Lock()
    deadline = time.monotonic() + seconds
    def client(k):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        i = k
        while time.monotonic() < deadline:
            body = json.dumps({"puzzle": puzzles[i % len(puzzles)]})
            i += clients
            start = time.perf_counter()
            try:
                conn.request("POST", "/v1/solve", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                payload = response.read()
                status = response.status
            except Exception as e:
                status = type(e).__name__
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                    server.append(json.loads(payload)["seconds"])
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    mean = lambda xs: statistics.fmean(xs) if xs else float("nan")
    return {"clients": clients, "seconds": round(wall, 2), "answers": len(latencies), "puzzles_per_s": round(len(latencies) / wall, 1),
            "mean_ms": round(1000 * mean(latencies), 2), "server_mean_ms": round(1000 * mean(server), 2), "p50_ms": round(1000 * q[49], 2), "p95_ms": round(1000 * q[94], 2), "p99_ms": round(1000 * q[98], 2), "errors": errors}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--puzzles", required=True)
    p.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 64])
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--out")
    a = p.parse_args()
    puzzles = read_puzzles(a.puzzles)
    rows = []
    before = resident_bytes(a.url)
    floor = http_floor(a.url)
    print(f"HTTP floor (GET /healthz, one client, p50): {1000 * floor:.2f} ms")
    print(f"{'clients':>7} {'answers':>8} {'puzzles/s':>10} {'mean ms':>8} {'server':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  errors")
    for clients in a.concurrency:
        r = run(a.url, puzzles, clients, a.seconds)
        rows.append(r)
        print(f"{r['clients']:>7} {r['answers']:>8} {r['puzzles_per_s']:>10} {r['mean_ms']:>8} {r['server_mean_ms']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8}  {r['errors'] or 'none'}", flush=True)
    after = resident_bytes(a.url)
    print(f"server resident memory: {before / 2**20:.0f} MiB before, {after / 2**20:.0f} MiB after")
    if a.out:
        json.dump({"url": a.url, "http_floor_s": floor, "rows": rows, "resident_bytes_before": before, "resident_bytes_after": after}, open(a.out, "w"), indent=2)

if __name__ == "__main__":
    main()
