#!/usr/bin/env python3
"""End-to-end tests of lectern_client and its examples against lecternd.

Each test starts a real lecternd on 127.0.0.1:0 over its own copy of the
bundled index. ctest passes the paths (clients/python/CMakeLists.txt):
LECTERN_INDEX_BIN, LECTERND_BIN, LECTERN_SOURCE_DIR and
LECTERN_PYTHON_GENERATED.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACKAGE_ROOT)

import grpc  # noqa: E402

import lectern_client  # noqa: E402
from lectern_client import health_pb2, lectern_pb2, writer_pb2  # noqa: E402


def _env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set (run the test through ctest)")
    return value


GROUP = "fall-2024"
TOKENS = """\
# name  scopes      token
bot     read,write  s3cret-bot-token
viewer  read        s3cret-viewer-token
"""
BOT_TOKEN = "s3cret-bot-token"
VIEWER_TOKEN = "s3cret-viewer-token"
Code = grpc.StatusCode

_index_dir = None  # the bundled data, indexed once by setUpModule


def setUpModule():
    global _index_dir  # pylint: disable=global-statement
    _index_dir = tempfile.mkdtemp(prefix="lectern-py-index.")
    config = os.path.join(_env("LECTERN_SOURCE_DIR"), "data",
                          "lectern.textproto")
    subprocess.run([_env("LECTERN_INDEX_BIN"), "--config", config,
                    "--index", os.path.join(_index_dir, "index"), "--quiet"],
                   check=True, timeout=60)


def tearDownModule():
    if _index_dir:
        shutil.rmtree(_index_dir, ignore_errors=True)


def eventually(check, timeout=5.0):
    """Call check() until it returns something true or timeout passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


class ReadTokenTest(unittest.TestCase):
    """read_token, without a server."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lectern-py-token.")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, text):
        path = os.path.join(self.dir, "tokens")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_lecternd_token_file(self):
        path = self.write(TOKENS)
        self.assertEqual(lectern_client.read_token(path), BOT_TOKEN)
        self.assertEqual(lectern_client.read_token(path, name="viewer"),
                         VIEWER_TOKEN)
        with self.assertRaises(ValueError):
            lectern_client.read_token(path, name="nobody")

    def test_token_alone(self):
        path = self.write("# for the bot\n\n  just-a-token  \n")
        self.assertEqual(lectern_client.read_token(path), "just-a-token")

    def test_bad_files(self):
        with self.assertRaises(ValueError):
            lectern_client.read_token(self.write("# nothing\n"))
        with self.assertRaises(ValueError):
            lectern_client.read_token(self.write("bot read,write\n"))


class LecterndTestCase(unittest.TestCase):
    """Starts lecternd over a copy of the index for every test."""

    lecternd_flags = ()

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lectern-py-test.")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        index = os.path.join(self.dir, "index")
        shutil.copytree(os.path.join(_index_dir, "index"), index)
        self.token_file = os.path.join(self.dir, "tokens.txt")
        with open(self.token_file, "w", encoding="utf-8") as f:
            f.write(TOKENS)
        port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "lecternd.log")
        with open(self.log_path, "wb") as log:
            self.server = subprocess.Popen(
                [_env("LECTERND_BIN"), "--index", index,
                 "--listen", "127.0.0.1:0", "--port_file", port_file,
                 "--threads", "2", *self.lecternd_flags],
                stdout=log, stderr=subprocess.STDOUT)
        port = self.wait_for_port(port_file)
        self.address = f"127.0.0.1:{port}"
        self.client = lectern_client.Client(self.address, token=BOT_TOKEN,
                                            timeout=20)
        self.viewer = lectern_client.Client(self.address, token=VIEWER_TOKEN,
                                            timeout=20)
        self.anonymous = lectern_client.Client(self.address, timeout=20)

    def tearDown(self):
        for name in ("client", "viewer", "anonymous"):
            if hasattr(self, name):
                getattr(self, name).close()
        crashed = self.server.poll()
        self.server.terminate()
        try:
            status = self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            status = self.server.wait()
        if crashed is not None:
            self.fail(f"lecternd exited with {crashed} during the test:\n"
                      + self.server_log())
        self.assertEqual(status, 0, "lecternd did not stop cleanly on "
                                    "SIGTERM:\n" + self.server_log())

    def server_log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_for_port(self, port_file):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                break
            try:
                with open(port_file, encoding="ascii") as f:
                    text = f.read().strip()
                if text:
                    return int(text)
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.05)
        self.server.kill()
        self.server.wait()
        self.fail("lecternd did not start:\n" + self.server_log())
        return None

    def open_dates(self, client=None):
        client = client or self.client
        return [d.date for d in client.open_dates(GROUP).open_dates]

    def session_hits(self, title, date):
        """Ids of the GROUP sessions on date a search for title finds."""
        hits = self.client.search(title, groups=GROUP, types="session",
                                  date_from=date, date_to=date).hits
        return [hit.id for hit in hits]

    def run_example(self, name, *args):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [PACKAGE_ROOT, _env("LECTERN_PYTHON_GENERATED")])
        return subprocess.run(
            [sys.executable, os.path.join(PACKAGE_ROOT, "examples", name),
             "--server", self.address, *args],
            env=env, capture_output=True, text=True, timeout=60, check=False)


class ReadTest(LecterndTestCase):
    """The read API of a lecternd started without --write."""

    def test_health(self):
        self.assertEqual(self.anonymous.health().status,
                         health_pb2.HealthCheckResponse.SERVING)

    def test_search_kv_cache(self):
        hits = self.anonymous.search("kv cache", page_size=3).hits
        self.assertTrue(hits)
        first = hits[0]
        self.assertIn("InfiniGen", first.title)
        self.assertEqual(first.type, lectern_pb2.DOCUMENT_TYPE_SESSION)
        self.assertEqual(first.session.date, "2024-10-15")

        paper_id = first.session.paper.paper_id
        self.assertTrue(paper_id)
        paper = self.anonymous.paper(paper_id)
        self.assertIn("InfiniGen", paper.paper.title)
        self.assertIn(first.session.id, [s.id for s in paper.sessions])
        sessions = self.anonymous.session(GROUP, "2024-10-15").sessions
        self.assertIn("InfiniGen", sessions[0].title)

    def test_search_filters_and_sort(self):
        response = self.anonymous.search(groups=GROUP, types="session",
                                         sort="oldest", page_size=3,
                                         facets=["venue"])
        self.assertEqual(len(response.hits), 3)
        self.assertEqual(response.hits[0].session.date, "2024-09-03")
        self.assertTrue(response.next_page_token)
        self.assertEqual(response.facets[0].facet, lectern_pb2.FACET_VENUE)

    def test_open_dates_and_suggest(self):
        dates = self.open_dates(self.anonymous)
        self.assertIn("2024-12-24", dates)
        self.assertEqual(dates, sorted(dates))
        response = self.anonymous.suggest(GROUP, dates=dates[0], count=3)
        self.assertEqual([d.date for d in response.dates], [dates[0]])
        self.assertEqual(len(response.dates[0].candidates), 3)
        self.assertTrue(response.dates[0].candidates[0].paper.title)

    def test_schedule_marks_open_dates_and_repeats(self):
        schedule = self.anonymous.schedule(GROUP)
        self.assertEqual(schedule.group.id, GROUP)
        self.assertIn("2024-12-24", [d.date for d in schedule.open_dates])
        repeats = {entry.session.date: [s.group for s in entry.also_presented]
                   for entry in schedule.sessions if entry.also_presented}
        # PowerInfer and DistServe were presented by the sibling group too.
        self.assertEqual(repeats, {"2024-12-10": ["paper-list-2024"],
                                   "2025-01-07": ["paper-list-2024"]})

    def test_team_roles_and_people(self):
        hits = self.anonymous.search(presenters="Kunzhao Xu", roles="assist",
                                     types="session").hits
        self.assertEqual([h.session.date for h in hits], ["2024-09-03"])
        roles = [p.role for p in hits[0].session.presenters]
        self.assertEqual(roles, [lectern_pb2.PRESENTER_ROLE_MAIN,
                                 lectern_pb2.PRESENTER_ROLE_ASSIST,
                                 lectern_pb2.PRESENTER_ROLE_ASSIST])
        self.assertFalse(self.anonymous.search(
            presenters="Kunzhao Xu", roles="main", types="session").hits)
        person = self.anonymous.person("Kunzhao Xu")
        self.assertEqual(person.person.assist_sessions, 1)
        people = self.anonymous.people(groups=GROUP, as_of="2025-06-01")
        self.assertIn("Chaoyi Ruan", [p.name for p in people.people])

    def test_related_work(self):
        response = self.anonymous.related("DistServe", count=5)
        self.assertEqual((response.year_from, response.year_to), (2021, 2024))
        self.assertEqual(len(response.related), 5)
        for related in response.related:
            self.assertTrue(related.evidence)
            self.assertTrue(2021 <= related.paper.year <= 2024)
        with self.assertRaises(grpc.RpcError) as caught:
            self.anonymous.related("DistServe", years=-1)
        self.assertEqual(caught.exception.code(), Code.INVALID_ARGUMENT)

    def test_stats(self):
        stats = self.anonymous.stats()
        self.assertGreater(stats.sessions, 0)
        self.assertGreater(stats.papers, 0)
        self.assertIn(GROUP, [g.group.id for g in stats.groups])

    def test_invalid_argument(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.anonymous.search("kv", page_token="not-a-token")
        self.assertEqual(caught.exception.code(), Code.INVALID_ARGUMENT)

    def test_writes_need_write_flag(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.upsert_session(GROUP, "2024-12-24", title="X")
        self.assertEqual(caught.exception.code(), Code.UNIMPLEMENTED)

    def test_weekly_digest_example(self):
        run = self.run_example("weekly_digest.py", "--group", GROUP)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn(f"{GROUP}, ", run.stdout)
        self.assertIn("1. ", run.stdout)


class WriteTest(LecterndTestCase):
    """The write API of lecternd --write --token_file."""

    @property
    def lecternd_flags(self):
        return ("--write", "--token_file", self.token_file)

    TITLE = "Quokka: Cooperative Scheduling for Marsupial Datacenters"

    def upsert(self, client, date, request_id=None, **fields):
        fields.setdefault("title", self.TITLE)
        fields.setdefault("presenters", ["Ada Lovelace"])
        fields.setdefault("venue", "OSDI'24")
        return client.upsert_session(GROUP, date, request_id=request_id,
                                     **fields)

    def test_upsert_session_acceptance(self):
        dates = self.open_dates()
        date = dates[0]
        revision = self.client.stats().revision
        self.assertEqual(self.session_hits(self.TITLE, date), [])

        # Without a token, with an unknown one, with a read-only one.
        refused = (
            (self.anonymous, Code.UNAUTHENTICATED),
            (lectern_client.Client(self.address, token="wrong"),
             Code.UNAUTHENTICATED),
            (self.viewer, Code.PERMISSION_DENIED),
        )
        for client, code in refused:
            with self.subTest(code=code.name):
                with self.assertRaises(grpc.RpcError) as caught:
                    self.upsert(client, date, request_id=str(uuid.uuid4()))
                self.assertEqual(caught.exception.code(), code,
                                 caught.exception.details())
                self.assertTrue(caught.exception.details())
        self.assertEqual(self.open_dates(), dates)
        self.assertEqual(self.session_hits(self.TITLE, date), [])
        self.assertEqual(self.client.stats().revision, revision)

        # With the write token.
        request_id = str(uuid.uuid4())
        first = self.upsert(self.client, date, request_id=request_id)
        session = first.session
        self.assertEqual(session.id, f"{GROUP}/{date}/1")
        self.assertEqual(session.title, self.TITLE)
        self.assertEqual(session.kind, lectern_pb2.SESSION_KIND_PAPER)
        self.assertEqual([p.name for p in session.presenters],
                         ["Ada Lovelace"])
        self.assertEqual(session.paper.venue, "OSDI")
        self.assertEqual(session.paper.year, 2024)
        self.assertIn(first.result.outcome, (writer_pb2.WRITE_OUTCOME_CREATED,
                                             writer_pb2.WRITE_OUTCOME_UPDATED))
        self.assertFalse(first.result.replayed)
        self.assertGreater(first.result.revision, revision)

        self.assertEqual(
            eventually(lambda: self.session_hits(self.TITLE, date)),
            [session.id])
        self.assertNotIn(date, self.open_dates())
        self.assertEqual(self.open_dates(), dates[1:])
        stored = self.client.session(GROUP, date).sessions
        self.assertEqual([s.title for s in stored], [self.TITLE])

        # A retry with the same request_id is answered, not written again.
        retry = self.upsert(self.client, date, request_id=request_id)
        self.assertTrue(retry.result.replayed)
        self.assertEqual(retry.result.revision, first.result.revision)
        self.assertEqual(retry.result.outcome, first.result.outcome)
        self.assertEqual(retry.session, first.session)
        self.assertEqual(self.client.stats().revision, first.result.revision)

        # The same write without a request_id changes nothing either.
        again = self.upsert(self.client, date)
        self.assertEqual(again.result.outcome,
                         writer_pb2.WRITE_OUTCOME_UNCHANGED)
        self.assertFalse(again.result.replayed)

    def test_validate_only_writes_nothing(self):
        dates = self.open_dates()
        revision = self.client.stats().revision
        response = self.upsert(self.client, dates[-1], validate_only=True)
        self.assertEqual(response.result.outcome,
                         writer_pb2.WRITE_OUTCOME_VALIDATED)
        self.assertEqual(response.session.title, self.TITLE)
        self.assertEqual(self.open_dates(), dates)
        self.assertEqual(self.client.stats().revision, revision)

    def test_unknown_group(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.upsert_session("no-such-group", "2024-12-24",
                                       title=self.TITLE)
        self.assertIn(caught.exception.code(),
                      (Code.NOT_FOUND, Code.INVALID_ARGUMENT,
                       Code.FAILED_PRECONDITION))

    def test_summary_and_delete_session(self):
        date = self.open_dates()[0]
        session = self.upsert(self.client, date).session
        summary = self.client.upsert_summary(
            GROUP, date, language="en",
            text="# Quokka discussion\n\nWe compared wombat-style burrowing "
                 "with cooperative scheduling.\n").summary
        self.assertEqual(summary.session_id, session.id)
        hits = eventually(lambda: self.client.search(
            "wombat burrowing", types="summary").hits)
        self.assertEqual([hit.id for hit in hits], [summary.id])

        deleted = self.client.delete_summary(summary.id)
        self.assertEqual(deleted.result.outcome,
                         writer_pb2.WRITE_OUTCOME_DELETED)
        deleted = self.client.delete_session(GROUP, date)
        self.assertEqual(deleted.result.outcome,
                         writer_pb2.WRITE_OUTCOME_DELETED)
        self.assertEqual(eventually(
            lambda: not self.session_hits(self.TITLE, date)), True)

    def test_upsert_and_delete_paper(self):
        fields = {
            "title": "Platypus: Egg-Laying Storage for Mammalian Clusters",
            "authors": ["Ada Lovelace", "Grace Hopper"],
            "venue": "sosp", "year": 2024,
            "abstract": "We present Platypus, a storage system. " * 5,
        }
        created = self.client.upsert_paper(**fields)
        self.assertEqual(created.result.outcome,
                         writer_pb2.WRITE_OUTCOME_CREATED)
        self.assertEqual(created.paper.venue, "SOSP")
        again = self.client.upsert_paper(**fields)
        self.assertEqual(again.result.outcome,
                         writer_pb2.WRITE_OUTCOME_UNCHANGED)
        self.assertEqual(again.paper.id, created.paper.id)

        deleted = self.client.delete_paper(created.paper.id)
        self.assertEqual(deleted.result.outcome,
                         writer_pb2.WRITE_OUTCOME_DELETED)
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.paper(created.paper.id)
        self.assertEqual(caught.exception.code(), Code.NOT_FOUND)

    def test_import_papers(self):
        lines = [
            '{"title": "Numbat: Termite-Scale Serverless Functions", '
            '"authors": ["Ada Lovelace"], "venue": "OSDI", "year": 2024, '
            '"abstract": "Numbat runs functions at termite scale."}\n',
            "\n",
            '{"title": "Broken\n',
            '{"authors": ["Grace Hopper"], "venue": "SOSP", "year": 2023}\n',
        ]
        with self.assertRaises(grpc.RpcError) as caught:
            self.anonymous.import_papers(lines, source="new.jsonl")
        self.assertEqual(caught.exception.code(), Code.UNAUTHENTICATED)

        response = self.client.import_papers(lines, source="new.jsonl",
                                             request_id=str(uuid.uuid4()))
        self.assertEqual((response.accepted, response.rejected), (1, 2),
                         response)
        self.assertEqual(response.created, 1)
        self.assertEqual([item.source for item in response.items],
                         ["new.jsonl:1", "new.jsonl:3", "new.jsonl:4"])
        self.assertEqual([item.index for item in response.items], [0, 1, 2])
        good, broken, untitled = response.items
        self.assertTrue(good.accepted and good.paper_id)
        self.assertEqual(good.outcome, writer_pb2.WRITE_OUTCOME_CREATED)
        for item in (broken, untitled):
            self.assertFalse(item.accepted)
            self.assertTrue(item.reason)
        self.assertIn("title", untitled.reason)

        hits = eventually(lambda: self.client.search(
            "numbat termite", types="paper").hits)
        self.assertEqual([hit.id for hit in hits][:1], [good.paper_id])
        self.assertIn("Numbat", self.client.paper(good.paper_id).paper.title)

    def test_signup_bot_example(self):
        dates = self.open_dates()
        title = "Wombat: Burrowing Through Tail Latency"
        run = self.run_example(
            "signup_bot.py", "--token-file", self.token_file,
            "--group", GROUP, "--presenter", "Grace Hopper",
            "--title", title, "--venue", "SOSP'24")
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn(f"stored {GROUP}/{dates[0]}/1: {title}", run.stdout)
        self.assertIn("search confirms: #1", run.stdout)
        self.assertEqual(self.open_dates(), dates[1:])

        # A date that is not open, and a token without the write scope.
        run = self.run_example(
            "signup_bot.py", "--token-file", self.token_file, "--group", GROUP,
            "--presenter", "X", "--title", title, "--date", dates[0])
        self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
        viewer_file = os.path.join(self.dir, "viewer.token")
        with open(viewer_file, "w", encoding="utf-8") as f:
            f.write(VIEWER_TOKEN + "\n")
        run = self.run_example(
            "signup_bot.py", "--token-file", viewer_file, "--group", GROUP,
            "--presenter", "X", "--title", title)
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertIn("PERMISSION_DENIED", run.stderr)
        self.assertEqual(self.open_dates(), dates[1:])


class RequireReadTokenTest(LecterndTestCase):
    """lecternd --require_read_token: reads need a token too."""

    @property
    def lecternd_flags(self):
        return ("--write", "--token_file", self.token_file,
                "--require_read_token")

    def test_reads_need_a_token(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.anonymous.search("kv cache")
        self.assertEqual(caught.exception.code(), Code.UNAUTHENTICATED)
        self.assertTrue(self.viewer.search("kv cache").hits)
        self.assertTrue(self.client.search("kv cache").hits)


if __name__ == "__main__":
    unittest.main()
