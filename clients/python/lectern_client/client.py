"""Client: one gRPC channel to lecternd and a method per RPC.

Every method builds the request, calls the RPC with the client's timeout and
bearer token, and returns the response message unchanged. A failed call
raises grpc.RpcError; its code() is a grpc.StatusCode (UNAUTHENTICATED,
PERMISSION_DENIED, INVALID_ARGUMENT, NOT_FOUND, ...) and details() the
server's message.

A Client is thread-safe, like the channel it wraps.
"""

import json as _json
import os

import grpc

from grpc_health.v1 import health_pb2, health_pb2_grpc
from lectern.v1 import lectern_pb2, lectern_pb2_grpc
from lectern.v1 import writer_pb2, writer_pb2_grpc


def read_token(path, name=None):
    """Return the bearer token held by the file at `path`.

    The file is either a lecternd token file, one `name scopes token` per
    line with '#' comment lines, or a file holding just the token. The
    token of the first non-comment line is returned, or with `name` that of
    the line with that name. Raises ValueError when there is none.
    """
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            if len(fields) == 1 and name is None:
                return fields[0]
            if len(fields) < 3:
                raise ValueError(
                    f"{path}:{lineno}: expected 'name scopes token' or a "
                    "token alone")
            if name is None or fields[0] == name:
                return fields[2]
    named = f" named {name!r}" if name else ""
    raise ValueError(f"{path}: no token{named}")


def _strings(value):
    """A list of strings from None, one string or an iterable of them."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _enum(enum, prefix, value):
    """An enum number from a number or a short name ("paper", "newest")."""
    if isinstance(value, str):
        return enum.Value(prefix + value.upper())
    return value


def _pem(root_certificates):
    """PEM bytes from PEM bytes, PEM text or a path to a PEM file."""
    if isinstance(root_certificates, bytes):
        return root_certificates
    text = root_certificates
    if isinstance(text, str) and "-----BEGIN" in text:
        return text.encode("ascii")
    with open(root_certificates, "rb") as f:
        return f.read()


class Client:
    """A connection to lecternd's Lectern, LecternWriter and Health services.

    address: "host:port". token, or token_file (see read_token): sent as
    "authorization: Bearer <token>" with every call. root_certificates: PEM
    bytes or the path of a PEM file; when given the channel uses TLS,
    otherwise it is insecure (plaintext). timeout: seconds per call.
    options: extra grpc channel options.
    """

    def __init__(self, address="127.0.0.1:50051", token=None, token_file=None,
                 root_certificates=None, timeout=30.0, options=None):
        if token is not None and token_file is not None:
            raise ValueError("pass token or token_file, not both")
        if token_file is not None:
            token = read_token(token_file)
        self.timeout = timeout
        self.metadata = ((("authorization", f"Bearer {token}"),) if token
                         else ())
        if root_certificates is None:
            self.channel = grpc.insecure_channel(address, options=options)
        else:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=_pem(root_certificates))
            self.channel = grpc.secure_channel(address, credentials,
                                               options=options)
        self._lectern = lectern_pb2_grpc.LecternStub(self.channel)
        self._writer = writer_pb2_grpc.LecternWriterStub(self.channel)
        self._health = health_pb2_grpc.HealthStub(self.channel)

    def close(self):
        """Close the channel."""
        self.channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _call(self, rpc, request):
        return rpc(request, timeout=self.timeout, metadata=self.metadata)

    # Reads: lectern.v1.Lectern.

    def search(self, query="", page_size=0, page_token="", *, venues=(),
               year_from=0, year_to=0, date_from="", date_to="", groups=(),
               types=(), presenters=(), roles=(), sort=None, facets=(),
               facet_limit=0, collapse_papers=False, auto_correct=False):
        """Search sessions, papers and summaries: a SearchResponse.

        types: "session", "paper", "summary" (or DocumentType numbers);
        roles: "main", "assist": the role `presenters` held (alone: records
        with a presenter in that role);
        sort: "relevance", "newest", "oldest"; facets: "type", "venue",
        "year", "group", "presenter". The other arguments are the fields
        of SearchRequest and SearchFilters.
        """
        filters = lectern_pb2.SearchFilters(
            venues=_strings(venues), year_from=year_from, year_to=year_to,
            date_from=date_from, date_to=date_to, groups=_strings(groups),
            types=[_enum(lectern_pb2.DocumentType, "DOCUMENT_TYPE_", t)
                   for t in _strings(types)],
            presenters=_strings(presenters),
            presenter_roles=[_enum(lectern_pb2.PresenterRole,
                                   "PRESENTER_ROLE_", r)
                             for r in _strings(roles)])
        request = lectern_pb2.SearchRequest(
            query=query, page_size=page_size, page_token=page_token,
            filters=filters,
            sort=_enum(lectern_pb2.SearchSort, "SEARCH_SORT_", sort or 0),
            facets=[_enum(lectern_pb2.Facet, "FACET_", f)
                    for f in _strings(facets)],
            facet_limit=facet_limit, collapse_papers=collapse_papers,
            auto_correct=auto_correct)
        return self._call(self._lectern.Search, request)

    def suggest(self, group, dates=None, count=None, topic=None, explain=None,
                presenter=None, rejected=None, narrow=None):
        """Candidate papers for a group's open dates: a SuggestResponse.

        dates: one date or several (YYYY-MM-DD); None means every open
        date. explain: a paper to explain instead of suggesting. narrow: a
        lectern_pb2.SuggestionRules narrowing the group's rules.
        """
        request = lectern_pb2.SuggestRequest(
            group=group, dates=_strings(dates), count=count or 0,
            topic=topic or "", presenter=presenter or "",
            rejected=_strings(rejected), explain=explain or "", narrow=narrow)
        return self._call(self._lectern.Suggest, request)

    def open_dates(self, group, from_=None, until=None):
        """A group's dates with no paper yet: a ListOpenDatesResponse."""
        request = lectern_pb2.ListOpenDatesRequest(
            group=group, until=until or "", **{"from": from_ or ""})
        return self._call(self._lectern.ListOpenDates, request)

    def schedule(self, group):
        """A group's timeline with open dates and cross-group repeats: a
        GetScheduleResponse."""
        request = lectern_pb2.GetScheduleRequest(group=group)
        return self._call(self._lectern.GetSchedule, request)

    def paper(self, id):  # pylint: disable=redefined-builtin
        """A catalog paper, its sessions and summaries: a GetPaperResponse."""
        request = lectern_pb2.GetPaperRequest(id=id)
        return self._call(self._lectern.GetPaper, request)

    def session(self, group, date, ordinal=0):
        """A group's sessions on a date (0: all): a GetSessionResponse."""
        request = lectern_pb2.GetSessionRequest(group=group, date=date,
                                                ordinal=ordinal)
        return self._call(self._lectern.GetSession, request)

    def related(self, paper, years=0, count=0, before="", venues=()):
        """Catalog papers related to `paper` (id, title or words from one),
        published in the `years` (0: 3) before it, with shared terms and
        the sessions that presented them: a RelatedWorkResponse."""
        request = lectern_pb2.RelatedWorkRequest(
            paper=paper, years=years, count=count, before=before,
            venues=_strings(venues))
        return self._call(self._lectern.RelatedWork, request)

    def person(self, name, as_of=""):
        """One presenter's sessions in every group, by role: a
        GetPersonResponse."""
        request = lectern_pb2.GetPersonRequest(name=name, as_of=as_of)
        return self._call(self._lectern.GetPerson, request)

    def people(self, groups=(), as_of=""):
        """Everyone, longest since their last main presentation first: a
        ListPeopleResponse."""
        request = lectern_pb2.ListPeopleRequest(groups=_strings(groups),
                                                as_of=as_of)
        return self._call(self._lectern.ListPeople, request)

    def stats(self):
        """Counts of what the index holds: a GetStatsResponse."""
        request = lectern_pb2.GetStatsRequest()
        return self._call(self._lectern.GetStats, request)

    def health(self, service=""):
        """grpc.health.v1 Check: a HealthCheckResponse ("" is the server)."""
        request = health_pb2.HealthCheckRequest(service=service)
        return self._call(self._health.Check, request)

    # Writes: lectern.v1.LecternWriter (lecternd --write, a "write" token).

    def upsert_session(self, group, date, title="", presenters=(), venue="",
                       year=0, url="", slides="", qa_summary="", video="",
                       ordinal=0, request_id=None, validate_only=False):
        """Create or replace a session: an UpsertSessionResponse.

        An empty title makes an open slot. presenters: names, or one
        string with names separated by commas. request_id makes a retry a
        no-op (the first answer comes back with result.replayed set).
        """
        session = writer_pb2.SessionInput(
            group=group, date=date, ordinal=ordinal, title=title,
            presenters=_strings(presenters), venue=venue, year=year, url=url,
            slides=slides, qa_summary=qa_summary, video=video)
        request = writer_pb2.UpsertSessionRequest(
            session=session, request_id=request_id or "",
            validate_only=validate_only)
        return self._call(self._writer.UpsertSession, request)

    def delete_session(self, group, date, ordinal=0, request_id=None):
        """Delete a session: a DeleteResponse."""
        request = writer_pb2.DeleteSessionRequest(
            group=group, date=date, ordinal=ordinal,
            request_id=request_id or "")
        return self._call(self._writer.DeleteSession, request)

    def upsert_paper(self, title="", authors=(), venue="", year=0,
                     abstract="", url="", doi="", json=None, source="",
                     request_id=None, validate_only=False):
        """Create or update a catalog paper: an UpsertPaperResponse.

        Either the fields or json, one catalog JSON object (str or dict).
        """
        if isinstance(json, dict):
            json = _json.dumps(json, ensure_ascii=False)
        paper = writer_pb2.PaperInput(
            title=title, authors=_strings(authors), venue=venue, year=year,
            abstract=abstract, url=url, doi=doi, json=json or "",
            source=source)
        request = writer_pb2.UpsertPaperRequest(
            paper=paper, request_id=request_id or "",
            validate_only=validate_only)
        return self._call(self._writer.UpsertPaper, request)

    def delete_paper(self, id,  # pylint: disable=redefined-builtin
                     request_id=None):
        """Delete a catalog paper: a DeleteResponse."""
        request = writer_pb2.DeletePaperRequest(id=id,
                                                request_id=request_id or "")
        return self._call(self._writer.DeletePaper, request)

    def upsert_summary(self, group="", date="", text="", paper="",
                       language="", url="", id="",  # pylint: disable=W0622
                       request_id=None, validate_only=False):
        """Create or replace a Q&A summary: an UpsertSummaryResponse.

        text: Markdown, optionally with front matter that the other
        arguments override when set.
        """
        summary = writer_pb2.SummaryInput(
            id=id, group=group, date=date, paper=paper, language=language,
            text=text, url=url)
        request = writer_pb2.UpsertSummaryRequest(
            summary=summary, request_id=request_id or "",
            validate_only=validate_only)
        return self._call(self._writer.UpsertSummary, request)

    def delete_summary(self, id,  # pylint: disable=redefined-builtin
                       request_id=None):
        """Delete a Q&A summary: a DeleteResponse."""
        request = writer_pb2.DeleteSummaryRequest(id=id,
                                                  request_id=request_id or "")
        return self._call(self._writer.DeleteSummary, request)

    def import_papers(self, papers, request_id=None, source=None):
        """Bulk upsert of papers: an ImportPapersResponse.

        papers: an iterable (an open file, a list) of JSON lines (str or
        bytes; blank ones are skipped), dicts (sent as JSON) or
        writer_pb2.PaperInput messages. A JSON line is sent as
        PaperInput(json=line, source="<source>:<line number>"); source
        defaults to the file's base name, else "import". The iterable is
        read before the stream starts.
        """
        name = source or os.path.basename(getattr(papers, "name", "") or "")
        name = name or "import"
        requests = []
        for lineno, item in enumerate(papers, 1):
            if isinstance(item, writer_pb2.PaperInput):
                paper = item
            elif isinstance(item, dict):
                paper = writer_pb2.PaperInput(
                    json=_json.dumps(item, ensure_ascii=False))
            elif isinstance(item, (str, bytes)):
                if isinstance(item, bytes):
                    item = item.decode("utf-8")
                line = item.strip()
                if not line:
                    continue
                paper = writer_pb2.PaperInput(json=line,
                                              source=f"{name}:{lineno}")
            else:
                raise TypeError(f"cannot import a {type(item).__name__}")
            requests.append(writer_pb2.ImportPapersRequest(paper=paper))
        if requests and request_id:
            requests[0].request_id = request_id
        return self._writer.ImportPapers(iter(requests), timeout=self.timeout,
                                         metadata=self.metadata)
