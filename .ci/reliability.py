#!/usr/bin/env python3
"""Reliability runs of issue 14 item 3 (docs/reliability.md): kill, pg-restart, full-disk,
two-instances, soak MINUTES. Each prints one PASS/FAIL line with its figures; the exit status is
non-zero when any scenario fails. The binary: $SLUIS_BIN, else
.build/release/sluis if built, else .build/debug/sluis. Only the HTTP API, `sluis register verify` and
`sluis register export` are used as witnesses — never the store's tables.

Ports: SLUIS_RELIABILITY_HTTP (first of ten, default 18750), SLUIS_RELIABILITY_PG (two,
default 54343 and the next)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ["SLUIS_BIN"]) if os.environ.get("SLUIS_BIN") else \
    next((os.path.join(ROOT, p) for p in (".build/release/sluis", ".build/debug/sluis") if os.path.exists(os.path.join(ROOT, p))), None)
HTTP = int(os.environ.get("SLUIS_RELIABILITY_HTTP", "18750"))
PG = int(os.environ.get("SLUIS_RELIABILITY_PG", "54343"))
PG_BIN = sorted((os.path.join("/usr/lib/postgresql", v, "bin") for v in os.listdir("/usr/lib/postgresql")),
                key=lambda p: [int(x) for x in os.path.basename(os.path.dirname(p)).split(".") if x.isdigit()])[-1] \
    if os.path.isdir("/usr/lib/postgresql") else None
TIMEOUT = 15  # seconds a request may take before it counts as a hang
BODY = None  # the disclosure body, set once the case is known


def log(*parts):
    print("  ", *parts, flush=True)


# ---------------------------------------------------------------- HTTP

def request(method, url, token=None, body=None, timeout=TIMEOUT):
    """(status, parsed JSON or raw bytes, content type, seconds); status 0 = no answer."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            status, raw, kind = answer.status, answer.read(), answer.headers.get("content-type", "")
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers.get("content-type", "")
    except Exception as error:  # refused, reset, timed out: no answer
        return 0, repr(error), "", time.monotonic() - start
    try:
        parsed = json.loads(raw) if "json" in kind else raw
    except ValueError:
        parsed = raw
    return status, parsed, kind, time.monotonic() - start


class Server:
    """One `sluis serve --demo` on a database; the demo secrets stay in DIR/serve.out."""

    def __init__(self, directory, port, database, name="serve"):
        self.directory, self.port, self.database, self.name = directory, port, database, name
        self.base = "http://127.0.0.1:%d" % port
        self.process = None

    def env(self):
        return dict(os.environ, SLUIS_KEYS=os.path.join(self.directory, "keys"), SLUIS_DATABASE_URL=self.database,
                    SLUIS_PORT=str(self.port), SLUIS_POLICIES=os.path.join(ROOT, "Policies"), LOG_LEVEL="warning")

    def start(self):
        out = open(os.path.join(self.directory, self.name + ".out"), "a")
        err = open(os.path.join(self.directory, self.name + ".err"), "a")
        self.process = subprocess.Popen([BIN, "serve", "--demo"], env=self.env(), stdout=out, stderr=err, cwd=self.directory)
        for _ in range(300):
            if self.process.poll() is not None:
                raise SystemExit("server %s exited at start (%s.err)" % (self.name, self.name))
            if request("GET", self.base + "/health", timeout=2)[0] == 200:
                return self
            time.sleep(0.2)
        raise SystemExit("server %s did not start" % self.name)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def alive(self):
        return self.process.poll() is None

    def rss_kib(self):
        with open("/proc/%d/status" % self.process.pid) as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

    def sluis(self, *arguments):
        return subprocess.run([BIN, *arguments], env=self.env(), capture_output=True, text=True, cwd=self.directory)


def credential(directory, user, column):
    for line in open(os.path.join(directory, "serve.out")):
        if "| %s |" % user in line:
            return line.split("|")[column].strip()
    raise SystemExit("no demo credentials for %s" % user)


def login(server, directory, user):
    """A session for a demo delegate; a TOTP code opens one session (RFC 6238 §5.2), so a
    refused login waits for the next 30-second code once."""
    for attempt in range(2):
        code = subprocess.run([BIN, "totp", credential(directory, user, 5)], capture_output=True, text=True).stdout.strip()
        status, body, _, _ = request("POST", server.base + "/v1/sessions",
                                     body={"username": user, "password": credential(directory, user, 4), "code": code})
        if status == 201 or status == 200:
            return body["token"]
        time.sleep(31 - time.time() % 30)
    raise SystemExit("login of %s refused: %s" % (user, body))


def prepare(server, directory):
    """The sender's session with a case ready to disclose (informing recorded, art. 12.1), and
    the recipient's session (swv-go's delegate, for its mailbox)."""
    global BODY
    token = login(server, directory, "zorgco.demo")
    case = request("GET", server.base + "/v1/cases", token)[1][0]["id"]
    request("POST", server.base + "/v1/cases/%s/informing" % case, token, {"informedAt": "2026-11-20", "method": "brief"})
    BODY = {"caseId": case, "recipient": "swv-go", "forum": "casusoverleg", "purpose": "3.1.a",
            "fields": ["name", "birthDate", "absence", "lastSchool"]}
    return token, login(server, directory, "swv.demo")


class Stream:
    """Workers posting disclosures until stopped; every 201 receipt is kept (acknowledged)."""

    def __init__(self, bases, token, workers=6, pause=0.0):
        self.bases, self.token, self.workers, self.pause = bases, token, workers, pause
        self.acked, self.answers, self.lock, self.stopping = [], [], threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.work, args=(i,), daemon=True) for i in range(workers)]

    def work(self, number):
        sent = number
        while not self.stopping.is_set():
            base = self.bases[sent % len(self.bases)]
            sent += 1
            status, body, kind, seconds = request("POST", base + "/v1/disclosures", self.token, BODY)
            with self.lock:
                self.answers.append((time.monotonic(), status, body, kind, seconds))
                if status == 201:
                    self.acked.append(body)
            if status == 0 or self.pause:
                time.sleep(self.pause or 0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def since(self, moment):
        with self.lock:
            return [a for a in self.answers if a[0] >= moment]


def mailbox(server, token):
    """The recipient's mailbox, all pages: registerIndex → (id, bundleDigest)."""
    items, before = {}, None
    while True:
        url = server.base + "/v1/mailbox?limit=500" + ("&before=" + before if before else "")
        status, body, _, _ = request("GET", url, token, timeout=60)
        if status != 200:
            raise SystemExit("mailbox: %s %s" % (status, body))
        for item in body["disclosures"]:
            items[item["registerIndex"]] = (item["id"], item["bundleDigest"])
        before = body.get("next")
        if not before:
            return items


def register_disclosures(server):
    """The register's disclosures to swv-go, from `sluis register export` (an FG inspection):
    index → bundleDigest."""
    entries, after = {}, None
    while True:
        arguments = ["register", "export", "--format", "json", "--party", "swv-go", "--limit", "1000"]
        if after is not None:
            arguments += ["--after", str(after)]
        run = server.sluis(*arguments)
        if run.returncode != 0:
            raise SystemExit("register export: " + run.stderr.strip())
        for entry in json.loads(run.stdout or "[]"):
            if entry.get("operation") == "disclose" and entry.get("decision") == "permit" and entry.get("recipient") == "swv-go":
                entries[entry["index"]] = entry.get("bundleDigest")
        more = [line for line in run.stderr.splitlines() if line.startswith("meer: --after ")]
        if not more:
            return entries
        after = int(more[0].split()[-1])


def check(server, directory, acked, recipient_token):
    """What every scenario demands afterwards: the register verifies; every acknowledged
    disclosure is on it and in the mailbox with the same bundle; no register disclosure
    without its mailbox item, nor the reverse; a sample of bundles can be fetched.
    Returns (problems, figures)."""
    problems = []
    verify = server.sluis("register", "verify")
    if verify.returncode != 0 or "register in orde" not in verify.stdout:
        problems.append("register verify: " + (verify.stdout + verify.stderr).strip().splitlines()[-1:][0])
    try:
        register, box = register_disclosures(server), mailbox(server, recipient_token)
    except SystemExit as failure:
        # A check that cannot read is a failed scenario, named; not the end of the whole run.
        return problems + [str(failure)], ""
    missing_register = [r["register"]["index"] for r in acked if r["register"]["index"] not in register]
    missing_box = [r["register"]["index"] for r in acked if r["register"]["index"] not in box]
    wrong = [r["register"]["index"] for r in acked if r["register"]["index"] in box
             and (box[r["register"]["index"]] != (r.get("disclosureId"), r.get("bundleDigest"))
                  or register.get(r["register"]["index"]) != r.get("bundleDigest"))]
    half = sorted(set(register) ^ set(box))
    if missing_register:
        problems.append("%d acknowledged not on the register (e.g. %s)" % (len(missing_register), missing_register[:3]))
    if missing_box:
        problems.append("%d acknowledged not in the mailbox (e.g. %s)" % (len(missing_box), missing_box[:3]))
    if wrong:
        problems.append("%d with another bundle or id than acknowledged (e.g. %s)" % (len(wrong), wrong[:3]))
    if half:
        problems.append("%d half-done (register xor mailbox, e.g. %s)" % (len(half), half[:3]))
    for receipt in acked[-3:]:
        status, body, _, _ = request("GET", server.base + "/v1/mailbox/%s/bundle" % receipt["disclosureId"], recipient_token)
        if status != 200 or not body:
            problems.append("bundle %s: %s" % (receipt["register"]["index"], status))
    figures = "acknowledged=%d register-disclosures=%d mailbox=%d" % (len(acked), len(register), len(box))
    return problems, figures


def problem_ok(answer, words=None):
    """A clean refusal: 503, Problem JSON, a database/register code, optionally naming `words`."""
    _, status, body, kind, _ = answer
    return (status == 503 and "problem+json" in kind and isinstance(body, dict)
            and body.get("code") in ("sluis:database-unavailable", "sluis:register-unavailable")
            and (words is None or words in body.get("detail", "")))


def result(name, problems, figures):
    print("%s %s: %s%s" % ("PASS" if not problems else "FAIL", name, figures, "" if not problems else " — " + "; ".join(problems)),
          flush=True)
    return not problems


# ---------------------------------------------------------------- PostgreSQL

class Postgres:
    """A throwaway cluster through .ci/postgres; stop/start with pg_ctl on the same data."""

    def __init__(self, port):
        self.port = port
        self.data = "/tmp/sluis-ci-postgres-%d/data" % port

    def env(self):
        return dict(os.environ, SLUIS_TEST_POSTGRES_PORT=str(self.port))

    def create(self):
        run = subprocess.run([os.path.join(ROOT, ".ci/postgres"), "start"], env=self.env(), capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit("postgres: " + run.stderr)
        return run.stdout.strip()

    def pg_ctl(self, arguments):
        command = "%s/pg_ctl -D %s %s" % (PG_BIN, self.data, arguments)
        if os.getuid() == 0:
            return subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", "cd / && " + command], capture_output=True, text=True)
        return subprocess.run(["sh", "-c", command], capture_output=True, text=True)

    def stop_fast(self):
        return self.pg_ctl("-m fast -w stop")

    def start(self):
        state = os.path.dirname(self.data)
        return self.pg_ctl("-o '-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=on' -l %s/server.log -w start" % (self.port, state, state))

    def remove(self):
        subprocess.run([os.path.join(ROOT, ".ci/postgres"), "stop"], env=self.env(), capture_output=True)


# ---------------------------------------------------------------- scenarios

def scenario_kill(rounds=3):
    """SIGKILL mid-stream on SQLite, restart on the same file, everything acknowledged is there."""
    directory = tempfile.mkdtemp(prefix="sluis-rel-kill-")
    server = Server(directory, HTTP, "sqlite:" + os.path.join(directory, "sluis.sqlite")).start()
    try:
        token, recipient = prepare(server, directory)
        acked, problems, attempts = [], [], 0
        for round_ in range(rounds):
            with Stream([server.base], token) as stream:
                time.sleep(2.0 + round_)
                server.kill()  # SIGKILL mid-stream: no shutdown, no flush
                time.sleep(0.3)
            acked += stream.acked
            attempts += len(stream.answers)
            bad = [a for a in stream.answers if a[1] not in (0, 201)]
            if bad:
                problems.append("round %d: %d answers neither 201 nor cut off (e.g. %s)" % (round_ + 1, len(bad), bad[0][1]))
            server.start()
        found, figures = check(server, directory, acked, recipient)
        return result("kill", problems + found, "%d rounds, %d requests, %s" % (rounds, attempts, figures))
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def scenario_pg_restart():
    """PostgreSQL stopped under load: clean 503s within a bound, then recovery without a restart."""
    pg = Postgres(PG)
    url = pg.create()
    directory = tempfile.mkdtemp(prefix="sluis-rel-pg-")
    server = Server(directory, HTTP + 1, url).start()
    try:
        token, recipient = prepare(server, directory)
        problems = []
        with Stream([server.base], token, workers=4) as stream:
            time.sleep(2)
            stopped = time.monotonic()
            stop = pg.stop_fast()
            if stop.returncode != 0:
                problems.append("pg_ctl stop: " + stop.stderr.strip())
            time.sleep(4)
            outage = stream.since(stopped + 0.5)
            restarted = time.monotonic()
            start = pg.start()
            if start.returncode != 0:
                problems.append("pg_ctl start: " + start.stderr.strip())
            time.sleep(4)
            after = stream.since(restarted)
        during = [a for a in outage if a[0] < restarted]
        unclean = [a for a in during if not problem_ok(a)]
        slowest = max((a[4] for a in stream.answers), default=0)
        recovered = [a for a in after if a[1] == 201]
        first = min((a[0] - restarted for a in recovered), default=None)
        if not during:
            problems.append("no request answered while PostgreSQL was down")
        if unclean:
            problems.append("%d answers while down not a 503 Problem (e.g. %s %s)" % (len(unclean), unclean[0][1], str(unclean[0][2])[:120]))
        if any(a[1] == 500 for a in stream.answers):
            problems.append("a 500")
        if slowest >= TIMEOUT:
            problems.append("a request hung ≥ %d s" % TIMEOUT)
        if not recovered:
            problems.append("no disclosure succeeded after PostgreSQL came back")
        if not server.alive():
            problems.append("the server died")
        found, figures = check(server, directory, stream.acked, recipient) if server.alive() else ([], "")
        return result("pg-restart", problems + found,
                      "%d requests, %d answered 503 while down, slowest %.2f s, first 201 %.1f s after restart, %d after, %s"
                      % (len(stream.answers), len(during) - len(unclean), slowest, first or -1, len(recovered), figures))
    finally:
        server.stop()
        pg.remove()
        shutil.rmtree(directory, ignore_errors=True)


def scenario_full_disk():
    """The SQLite file on a small tmpfs that is filled up: refusals that say so, then recovery."""
    directory = tempfile.mkdtemp(prefix="sluis-rel-disk-")
    volume = os.path.join(directory, "volume")
    os.mkdir(volume)
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", volume], capture_output=True, text=True)
    if mount.returncode != 0:
        print("SKIP full-disk: cannot mount a tmpfs here (%s)" % mount.stderr.strip(), flush=True)
        shutil.rmtree(directory, ignore_errors=True)
        return True
    server = Server(directory, HTTP + 2, "sqlite:" + os.path.join(volume, "sluis.sqlite"))
    try:
        server.start()
        token, recipient = prepare(server, directory)
        problems = []
        filler = os.path.join(volume, "filler")
        with Stream([server.base], token, workers=4) as stream:
            time.sleep(1.5)
            # Fill the volume: what SQLite has not yet taken is gone.
            fill = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                while True:
                    os.write(fill, b"\0" * 4096)
            except OSError:
                pass
            finally:
                os.close(fill)
            full = time.monotonic()
            time.sleep(4)
            during = stream.since(full + 1.0)
            os.remove(filler)
            # Space returns generously: the stream goes on for 3 s and the checks after it
            # register their own inspections, which a volume filled again would refuse.
            subprocess.run(["mount", "-o", "remount,size=64m", volume], capture_output=True)
            freed = time.monotonic()
            time.sleep(3)
            after = stream.since(freed)
        refused = [a for a in during if problem_ok(a, "storage is full")]
        unclean = [a for a in during if a[1] != 201 and not problem_ok(a, "storage is full")]
        if not refused:
            problems.append("no refusal naming the full storage while full (statuses %s)" % sorted({a[1] for a in during}))
        if unclean:
            problems.append("%d answers while full neither 201 nor a storage-full 503 (e.g. %s %s)"
                            % (len(unclean), unclean[0][1], str(unclean[0][2])[:160]))
        if any(a[1] == 500 for a in stream.answers):
            problems.append("a 500")
        if not [a for a in after if a[1] == 201]:
            problems.append("no disclosure succeeded after space returned")
        if not server.alive():
            problems.append("the server died")
        found, figures = check(server, directory, stream.acked, recipient) if server.alive() else ([], "")
        return result("full-disk", problems + found, "tmpfs 16 MiB, %d requests, %d refused as storage full, %d succeeded after space returned, %s"
                      % (len(stream.answers), len(refused), len([a for a in after if a[1] == 201]), figures))
    finally:
        server.stop()
        subprocess.run(["umount", volume], capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)


HAPROXY = """global
  maxconn 256
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 3
  option redispatch
  retry-on conn-failure empty-response
frontend sluis
  bind 127.0.0.1:%(front)d
  default_backend gateways
backend gateways
  balance roundrobin
  option httpchk GET /health
  server a 127.0.0.1:%(a)d check inter 500 fall 2 rise 2
  server b 127.0.0.1:%(b)d check inter 500 fall 2 rise 2
"""


def scenario_two_instances():
    """Two gateways on one PostgreSQL behind haproxy; one SIGKILLed mid-run."""
    if not shutil.which("haproxy"):
        return result("two-instances", ["haproxy is not installed (.ci/setup installs it)"], "")
    pg = Postgres(PG + 1)
    url = pg.create()
    directory = tempfile.mkdtemp(prefix="sluis-rel-two-")
    a = Server(directory, HTTP + 3, url, "serve").start()  # makes the keys and the demo covenant
    b = Server(directory, HTTP + 4, url, "serve-b").start()
    with open(os.path.join(directory, "haproxy.cfg"), "w") as config:
        config.write(HAPROXY % {"front": HTTP + 5, "a": a.port, "b": b.port})
    proxy = subprocess.Popen(["haproxy", "-f", os.path.join(directory, "haproxy.cfg")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    front = Server(directory, HTTP + 5, url)
    try:
        for _ in range(50):
            if request("GET", front.base + "/health", timeout=2)[0] == 200:
                break
            time.sleep(0.2)
        token, recipient = prepare(front, directory)
        problems = []
        with Stream([front.base], token, workers=6) as stream:
            time.sleep(3)
            killed = time.monotonic()
            a.kill()
            time.sleep(4)
            after = stream.since(killed + 1.5)
        served = [x for x in after if x[1] == 201]
        unclean = [x for x in stream.answers if x[1] not in (0, 201, 502, 503, 504)]
        if not served:
            problems.append("no disclosure through haproxy after the kill")
        if unclean:
            problems.append("%d unexpected answers (e.g. %s %s)" % (len(unclean), unclean[0][1], str(unclean[0][2])[:120]))
        if not b.alive():
            problems.append("the surviving instance died")
        found, figures = check(b, directory, stream.acked, recipient)
        lost = len(stream.answers) - len([x for x in stream.answers if x[1] == 201])
        return result("two-instances", problems + found, "%d requests, %d not acknowledged (cut off or refused), %d served by b after the kill, %s"
                      % (len(stream.answers), lost, len(served), figures))
    finally:
        proxy.terminate()
        proxy.wait()
        for server in (a, b):
            server.stop()
        pg.remove()
        shutil.rmtree(directory, ignore_errors=True)


def scenario_soak(minutes):
    """Moderate mixed load on SQLite for MINUTES, RSS sampled every 10 s: no upward trend."""
    directory = tempfile.mkdtemp(prefix="sluis-rel-soak-")
    server = Server(directory, HTTP + 6, "sqlite:" + os.path.join(directory, "sluis.sqlite")).start()
    try:
        token, recipient = prepare(server, directory)
        stop, counts, lock = threading.Event(), {"disclose": 0, "read": 0, "other": 0}, threading.Lock()

        def reader():
            while not stop.is_set():
                for path, who in (("/v1/cases", token), ("/v1/mailbox?limit=20", recipient), ("/health", None)):
                    status = request("GET", server.base + path, who)[0]
                    with lock:
                        counts["read" if status == 200 else "other"] += 1
                time.sleep(0.05)

        def discloser():
            while not stop.is_set():
                status = request("POST", server.base + "/v1/disclosures", token, BODY)[0]
                with lock:
                    counts["disclose" if status == 201 else "other"] += 1
                time.sleep(0.05)

        threads = [threading.Thread(target=f, daemon=True) for f in (reader, reader, discloser, discloser)]
        for thread in threads:
            thread.start()
        samples, start = [], time.monotonic()
        while time.monotonic() - start < minutes * 60:
            samples.append((time.monotonic() - start, server.rss_kib()))
            time.sleep(10)
        samples.append((time.monotonic() - start, server.rss_kib()))
        stop.set()
        for thread in threads:
            thread.join()
        # Warm-up: the first fifth (at least a minute) fills caches and pools.
        warm = [s for s in samples if s[0] >= max(60, samples[-1][0] / 5)] or samples
        n = len(warm)
        mean_t, mean_r = sum(t for t, _ in warm) / n, sum(r for _, r in warm) / n
        var = sum((t - mean_t) ** 2 for t, _ in warm)
        slope = sum((t - mean_t) * (r - mean_r) for t, r in warm) / var * 60 if var else 0.0  # KiB per minute
        rss = [r for _, r in samples]
        growth = slope * (warm[-1][0] - warm[0][0]) / 60
        problems = []
        # Flat: the trend after warm-up adds less than 5 % of the warm RSS over the run.
        if growth > 0.05 * warm[0][1]:
            problems.append("RSS grows %.0f KiB/min after warm-up" % slope)
        if not server.alive():
            problems.append("the server died")
        found, figures = check(server, directory, [], recipient)
        elapsed = samples[-1][0]
        print("   RSS samples (s, MiB): " + " ".join("%d:%.1f" % (t, r / 1024) for t, r in samples), flush=True)
        return result("soak", problems + found,
                      "%.1f min, %d disclosures (%.1f/s), %d reads, %d other answers; RSS MiB first %.1f, after warm-up %.1f, last %.1f, max %.1f; "
                      "slope after warm-up %.1f KiB/min; %s"
                      % (elapsed / 60, counts["disclose"], counts["disclose"] / elapsed, counts["read"], counts["other"], rss[0] / 1024,
                         warm[0][1] / 1024, rss[-1] / 1024, max(rss) / 1024, slope, figures))
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def main(arguments):
    if BIN is None:
        raise SystemExit("reliability: build sluis first (swift build --product sluis)")
    which = arguments[0] if arguments else "all"
    scenarios = {"kill": scenario_kill, "pg-restart": scenario_pg_restart, "full-disk": scenario_full_disk,
                 "two-instances": scenario_two_instances}
    if which == "soak":
        return scenario_soak(float(arguments[1]) if len(arguments) > 1 else 10)
    if which == "all":
        return all([scenarios[name]() for name in scenarios])
    if which not in scenarios:
        raise SystemExit("usage: .ci/reliability [kill|pg-restart|full-disk|two-instances|soak MINUTES|all]")
    return scenarios[which]()


if __name__ == "__main__":
    started = time.monotonic()
    passed = main(sys.argv[1:])
    print("reliability: %s in %.0f s (%s)" % ("passed" if passed else "FAILED", time.monotonic() - started, os.path.relpath(BIN, ROOT)), flush=True)
    sys.exit(0 if passed else 1)
