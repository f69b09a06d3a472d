"""The chaos run (issue #12): the production-like stack under load while each part of it is
stopped and started again; prints what the clients saw and whether every mail arrived.

    make chaos                       (or: .venv/bin/python -m tests.bench.chaos)

The script owns the whole stack and leaves nothing running: in a temporary directory a
PostgreSQL 15 cluster of its own (initdb, as the `postgres` user when run as root) on
127.0.0.1:55432, its own Redis on 56379 (cache in database 0, the huey queue in database 1,
nothing saved), gunicorn with the project's config (2 workers) on 58199, the worker
(`manage.py run_huey`) and the test mail server (tests/smtp_sink.py) in this process on
56025; ADMIN_EMAILS is set, as in production, and the error mails are counted. It
migrates, loads the demo regions (Host pm.localhost) and creates users to ask for password
resets.

Client threads, each from its own loopback address (127.0.0.11, …, so that allauth's limits
per IP address count each one apart), ask for the home page, searches and listing pages,
and every few seconds do something that sends a mail: a password reset or a sign-up (GET the
form for its CSRF token, then POST). Meanwhile, after a quiet start, each part is stopped for
CHAOS_FAULT_SECONDS (12) with CHAOS_RECOVER_SECONDS (8) between: PostgreSQL (pg_ctl stop -m
fast), Redis, the worker killed with SIGKILL and then stopped with SIGTERM (each while the
mail server holds a mail it has not yet said it took, so that one is in flight), and the
mail server. /healthz is asked every second throughout.

At the end the load stops, everything is up again, and the script waits until no job is
waiting. So as not to wait five minutes for a killed worker's lease or two for a retry, it
makes waiting jobs due now (it says how many) and lets the worker's minute sweep take them
(or `manage.py run_jobs` if the sweep does not). It prints requests by status per phase,
/healthz's answers per phase, mails queued (`mail` rows in core_job) against mails the
server took (distinct Message-IDs, and copies), and exits 1 if a queued mail never arrived.

A measurement, not a test: not collected by pytest, not run in CI. Logs of every process
stay in the temporary directory, printed at the end.
"""

import email
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

import psycopg

from tests.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT, REDIS_PORT, SMTP_PORT, WEB_PORT = 55432, 56379, 56025, 58199
DSN = f"postgresql://postgres@127.0.0.1:{PG_PORT}/chaos"
HOST = "pm.localhost"
CLIENTS = int(os.environ.get("CHAOS_CLIENTS", "3"))
FAULT_SECONDS = float(os.environ.get("CHAOS_FAULT_SECONDS", "12"))
RECOVER_SECONDS = float(os.environ.get("CHAOS_RECOVER_SECONDS", "8"))
MAIL_EVERY = 4.0  # seconds between one client's mail actions: below allauth's limits per IP
RESET_USERS = 40  # addresses asked for in turn: below allauth's 5 resets a minute per address
PASSWORD = "Chaos-Passwort-2026"  # throwaway accounts, throwaway database
SEARCHES = ["Gabelstapler", "Lager", "Transporter", "Beratung", "Werkstatt"]


class Stack:
    """The processes of the stack, each stopped and started on its own."""

    def __init__(self, directory: Path):
        self.dir = directory
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "PORT", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            DATABASE_URL=DSN,
            DEBUG="0",
            DEMO="1",
            SECRET_KEY="chaos-only-throwaway-key-" + "x" * 40,
            ALLOWED_HOSTS=".localhost,127.0.0.1",
            HTTPS="0",
            STATIC_MANIFEST="0",
            CACHE_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
            TASKS_URL=f"redis://127.0.0.1:{REDIS_PORT}/1",
            EMAIL_URL=f"smtp://127.0.0.1:{SMTP_PORT}",
            MEDIA_ROOT=str(directory / "media"),
            PRIVATE_MEDIA_ROOT=str(directory / "private"),
            LOG_LEVEL="INFO",
            # As in production (.env.example): error reports go to the operator by mail.
            ADMIN_EMAILS="betrieb@example.org",
            WEB_CONCURRENCY="2",
            GUNICORN_HOST="127.0.0.1",
            PORT=str(WEB_PORT),
        )
        self.redis = self.web = self.worker = None
        self.sink = SmtpSink(port=SMTP_PORT)

    def log(self, name):
        return open(self.dir / f"{name}.log", "ab")  # handed to a process

    def pg_ctl(self, *args):
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "pgdata"), "-w", *args]
        subprocess.run(self.as_postgres + command, check=True, stdout=subprocess.DEVNULL)

    def init_postgres(self):
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.dir / "pgdata"), "-U", "postgres"]
        initdb += ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
        subprocess.run(self.as_postgres + initdb, check=True, stdout=subprocess.DEVNULL)
        self.start_postgres()
        with psycopg.connect(DSN.replace("/chaos", "/postgres"), autocommit=True) as db:
            db.execute("CREATE DATABASE chaos")

    def start_postgres(self):
        options = f"-p {PG_PORT} -k {self.dir} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-o", options, "-l", str(self.dir / "postgres.log"), "start")

    def stop_postgres(self, mode="fast"):
        self.pg_ctl("-m", mode, "stop")

    def start_redis(self):
        command = ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.redis = subprocess.Popen(command, stdout=self.log("redis"), stderr=subprocess.STDOUT)
        wait_for_port(REDIS_PORT)

    def stop_redis(self):
        stop_process(self.redis, signal.SIGTERM)

    def start_web(self):
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "starkeregion.wsgi"]
        command += ["-c", "python:starkeregion.gunicorn_config"]
        self.web = self.popen(command, "gunicorn")
        wait_for_port(WEB_PORT, timeout=30)

    def start_worker(self):
        self.worker = self.popen([PYTHON, "manage.py", "run_huey"], "worker")

    def stop_worker(self, signum):
        """Stops the worker while the mail server holds a mail; True if one was in flight."""
        self.sink.data_seen.clear()
        self.sink.hold.set()
        in_flight = self.sink.data_seen.wait(MAIL_EVERY * 2)
        stop_process(self.worker, signum)
        self.sink.hold.clear()
        print(f"    worker stopped with {signal.Signals(signum).name}, mail in flight: {in_flight}")

    def popen(self, command, name):
        return subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log(name), stderr=subprocess.STDOUT
        )

    def manage(self, *args, **env):
        environment = {**self.env, **env}
        return subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=environment, check=True, text=True,
            capture_output=True,
        ).stdout  # fmt: skip

    def shut_down(self):
        for process in (self.web, self.worker, self.redis):
            if process is not None and process.poll() is None:
                stop_process(process, signal.SIGTERM)
        if (self.dir / "pgdata" / "postmaster.pid").exists():
            self.stop_postgres("immediate")
        if self.sink._server is not None:
            self.sink.stop()


def stop_process(process, signum):
    process.send_signal(signum)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_port(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"Nothing answers on port {port}; see the logs.")


def port_taken(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


# Load ------------------------------------------------------------------------------------

phase = {"name": "setup"}
results = []  # (phase, kind, status, seconds): status 0 is a connection error
health = []  # (phase, status code, answer)
lock = threading.Lock()


def record(kind, status, seconds):
    with lock:
        results.append((phase["name"], kind, status, seconds))


class Client:
    """One visitor on a keep-alive connection from its own loopback address."""

    def __init__(self, number):
        self.source = (f"127.0.0.{11 + number}", 0)
        self.connection = None
        self.cookies = {}

    def request(self, method, path, form=None, kind=None):
        """Returns (status, body), status 0 when the connection failed or timed out; records
        the request as `kind` if given."""
        started = time.monotonic()
        status, body = self._request(method, path, form)
        if kind:
            record(kind, status, time.monotonic() - started)
        return status, body

    def _request(self, method, path, form):
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", WEB_PORT, timeout=15, source_address=self.source
                )
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            return 0, ""
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        return response.status, text

    def mail_action(self, kind, address):
        """A password reset or a sign-up as a new visitor: the form, then its POST."""
        self.cookies.clear()
        path = "/accounts/password/reset/" if kind == "reset" else "/accounts/signup/"
        status, page = self.request("GET", path, kind="form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            return
        form = {"csrfmiddlewaretoken": token.group(1), "email": address}
        if kind == "signup":
            form.update(password1=PASSWORD, password2=PASSWORD)
        self.request("POST", path, form, kind=kind)


def load(number, listing_ids, stop):
    client = Client(number)
    step = 0
    next_mail = time.monotonic() + number  # the clients' mails spread over the seconds
    while not stop.is_set():
        step += 1
        if time.monotonic() >= next_mail:
            next_mail += MAIL_EVERY
            if step % 2:
                client.mail_action("reset", f"chaos-{step % RESET_USERS}@example.org")
            else:
                client.mail_action("signup", f"signup-{number}-{step}@example.org")
        else:
            path = [
                "/",
                "/listings/?" + urlencode({"q": SEARCHES[step % len(SEARCHES)]}),
                f"/listings/{listing_ids[step % len(listing_ids)]}/",
                "/listings/?direction=offer",
            ][step % 4]
            client.request("GET", path, kind="page")
        time.sleep(0.05)


def watch_health(stop):
    client = Client(100)
    while not stop.is_set():
        status, text = client.request("GET", "/healthz")
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {}
        with lock:
            health.append((phase["name"], status, answer))
        time.sleep(1)


# The run ---------------------------------------------------------------------------------


def query(sql, *params):
    with psycopg.connect(DSN, autocommit=True) as db:
        return db.execute(sql, params).fetchall()


def set_up(stack):
    taken = [p for p in (PG_PORT, REDIS_PORT, SMTP_PORT, WEB_PORT) if port_taken(p)]
    if taken:
        raise SystemExit(f"Ports in use: {taken}; is another chaos run going on?")
    print(f"Stack in {stack.dir}: PostgreSQL :{PG_PORT}, Redis :{REDIS_PORT}, ", end="")
    print(f"SMTP sink :{SMTP_PORT}, gunicorn :{WEB_PORT} (Host {HOST})")
    stack.init_postgres()
    stack.start_redis()
    stack.sink.start()
    stack.manage("migrate", "--noinput", "-v0")
    # The demo's own mails (if any) go nowhere, at once: they are not part of the run.
    stack.manage("load_demo", TASKS_URL="immediate://", EMAIL_URL="dummy://")
    stack.manage(
        "shell",
        "-c",
        "from accounts.models import User; from allauth.account.models import EmailAddress\n"
        f"for n in range({RESET_USERS}):\n"
        f"    u = User.objects.create_user(f'chaos-{{n}}@example.org', {PASSWORD!r})\n"
        "    EmailAddress.objects.create(user=u, email=u.email, verified=True, primary=True)",
    )
    stack.start_web()
    stack.start_worker()
    listing_ids = [
        pk
        for (pk,) in query(
            "SELECT l.id FROM listings_listing l JOIN regions_region r ON r.id = l.region_id "
            "WHERE r.slug = 'pm' AND l.status = 'published' ORDER BY l.id LIMIT 40"
        )
    ]
    (first_job,) = query("SELECT coalesce(max(id), 0) + 1 FROM core_job")[0]
    warm_up = Client(99)  # each worker's first pages are slow: not part of the baseline
    for _ in range(4):
        for path in ("/", "/listings/?q=Lager", f"/listings/{listing_ids[0]}/", "/healthz"):
            warm_up.request("GET", path)
    return listing_ids, first_job


def faults(stack):
    """(name, stop, start) of each part, in the order they are broken."""
    return [
        ("PostgreSQL down", stack.stop_postgres, stack.start_postgres),
        ("Redis down", stack.stop_redis, stack.start_redis),
        ("worker kill -9", lambda: stack.stop_worker(signal.SIGKILL), stack.start_worker),
        ("worker SIGTERM", lambda: stack.stop_worker(signal.SIGTERM), stack.start_worker),
        ("SMTP down", stack.sink.stop, stack.sink.start),
    ]


def run_faults(stack):
    phase["name"] = "baseline"
    time.sleep(RECOVER_SECONDS)
    for name, stop, start in faults(stack):
        print(f"  {time.strftime('%H:%M:%S')} {name}", flush=True)
        phase["name"] = name
        stop()
        time.sleep(FAULT_SECONDS)
        start()
        phase["name"] = f"after {name}"
        time.sleep(RECOVER_SECONDS)


def drain(stack, first_job):
    """Waits until no mail job of the run is waiting; returns how it got there."""
    phase["name"] = "drain"
    time.sleep(3)  # what the worker is sending now finishes
    waiting = "SELECT count(*) FROM core_job WHERE state = 'waiting' AND id >= %s"
    pushed = query(
        "UPDATE core_job SET run_after = least(run_after, now()), locked_until = NULL "
        "WHERE state = 'waiting' AND id >= %s RETURNING id",
        first_job,
    )
    print(f"  {len(pushed)} waiting jobs made due now (leases of dead workers, retries)")
    deadline = time.monotonic() + 75  # the worker's sweep runs every minute
    while time.monotonic() < deadline:
        if query(waiting, first_job)[0][0] == 0:
            return "the worker's sweep"
        time.sleep(2)
    print("  " + stack.manage("run_jobs").strip())
    return "manage.py run_jobs"


def report(stack, first_job, seconds, drained_by):
    statuses = Counter(status for _, _, status, _ in results)
    print(f"\n{CLIENTS} clients for {seconds:.0f} s: {len(results)} requests")
    print(
        "  by status: "
        + ", ".join(f"{s or 'conn. error'}: {n}" for s, n in sorted(statuses.items()))
    )
    print(f"  connection errors: {statuses[0]}")
    by_phase = defaultdict(Counter)
    times = defaultdict(list)
    for name, kind, status, seconds in results:
        by_phase[name][status] += 1
        if kind == "page":  # not the sign-ups, which hash a password for a second or two
            times[name].append(seconds * 1000)
    print(f"\n{'phase':<22}{'requests':>9}{'page p95':>10}  {'statuses':<28}/healthz")
    phases = list(dict.fromkeys(name for name, *_ in results))
    for name in phases:
        answers = Counter(
            f"{code} {a.get('status', '-')}"
            + "".join(f" {k}={a[k]}" for k in ("cache", "queue") if a.get(k, "ok") != "ok")
            for p, code, a in health
            if p == name
        )
        codes = ", ".join(f"{s or 'err'}×{n}" for s, n in sorted(by_phase[name].items()))
        p95 = statistics.quantiles(times[name], n=20)[-1] if len(times[name]) > 1 else 0
        print(f"{name:<22}{sum(by_phase[name].values()):>9}{p95:>8.0f} ms  {codes:<28}"
              + "; ".join(f"{a} ×{n}" for a, n in answers.items()))  # fmt: skip
    actions = Counter(kind for _, kind, status, _ in results if kind != "page" and status == 302)
    print(f"\nMail actions answered 302: {sum(actions.values())} ({dict(actions)})")
    jobs = query(
        "SELECT state, payload->'headers'->>'Message-ID' FROM core_job "
        "WHERE name = 'mail' AND id >= %s",
        first_job,
    )
    queued = {message_id for _, message_id in jobs}
    states = Counter(state for state, _ in jobs)
    print(f"Mails queued (core_job 'mail' rows): {len(jobs)}  {dict(states)}")
    messages = [email.message_from_bytes(data) for _, data in stack.sink.delivered]
    received = [m["Message-ID"] for m in messages if m["Message-ID"] in queued]
    print(f"Mails delivered: {len(set(received))} distinct Message-IDs, {len(received)} received")
    print(f"  ({len(received) - len(set(received))} copies; waiting jobs drained by {drained_by})")
    lost = queued - set(received)
    print(f"Delivered == queued: {'no' if lost else 'yes'}")
    others = Counter(
        re.sub(r"/\S*", "/…", " ".join(str(m["Subject"]).split()))
        for m in messages
        if m["Message-ID"] not in queued
    )
    print(f"Other mails received (error reports to ADMIN_EMAILS): {sum(others.values())}")
    for subject, count in others.most_common(5):
        print(f"  {count:>5} × {subject}")
    if lost:
        print(f"LOST: {len(lost)} mails: " + ", ".join(sorted(lost)[:10]))
    for name in ("gunicorn", "worker"):
        lines = (stack.dir / f"{name}.log").read_text(errors="replace").splitlines()
        levels = Counter(w for line in lines for w in line.split()[1:3] if w in LEVELS)
        print(f"{name}.log: {dict(levels)}")
        errors = Counter(
            re.sub(r"/\S*", "/…", match.group(1))
            for line in lines
            if (match := re.search(r" (?:ERROR|CRITICAL) (.{0,100})", line))
        )
        for message, count in errors.most_common(6):
            print(f"  {count:>5} × ERROR {message}")
    print(f"Logs: {stack.dir}/*.log")
    return 1 if lost else 0


LEVELS = {"WARNING", "ERROR", "CRITICAL"}


def main():
    directory = Path(tempfile.mkdtemp(prefix="starkeregion-chaos-"))
    stack = Stack(directory)
    stop = threading.Event()
    try:
        listing_ids, first_job = set_up(stack)
        threads = [threading.Thread(target=watch_health, args=(stop,))]
        threads += [
            threading.Thread(target=load, args=(n, listing_ids, stop)) for n in range(CLIENTS)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        run_faults(stack)
        stop.set()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
        print("  load stopped; waiting for the jobs", flush=True)
        drained_by = drain(stack, first_job)
        return report(stack, first_job, seconds, drained_by)
    finally:
        stop.set()
        stack.shut_down()
        shutil.rmtree(directory / "pgdata", ignore_errors=True)
        shutil.rmtree(directory / "media", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
