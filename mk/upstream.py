#!/usr/bin/python3
"""upstream.py: the record of the upstream commits the stable series
backport (patches/upstream.tsv), and its checks.

  upstream.py [--record FILE] get SHA FIELD
      print a recorded fact: title, author, trailers (the status:
      complete or unknown), chain (the recorded trailer lines), fixes
  upstream.py [--record FILE] check [--git DIR] [SHA...]
      compare every recorded fact with DIR's commits (default: all
      records); one line per difference, exit 1 if there is any
  upstream.py [--record FILE] chain [--git DIR] SHA
      the trailer lines to send a backport of SHA with: the recorded
      chain, or, when the record is incomplete and DIR has SHA, DIR's
      chain once it agrees with the record (exit 1 when it does not,
      exit 3 when the record is incomplete and DIR cannot complete it)
  upstream.py [--record FILE] patches PATCH...
      each backport (a patch saying 'commit SHA upstream.') is of a
      recorded commit, with its recorded title as subject and its
      recorded author as From:; one line per difference, exit 1 if any

The record defaults to patches/upstream.tsv next to this script's
directory, or $UPSTREAM_RECORD.
"""

import email
import email.policy
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELDS = ("title", "author", "fixes", "fixes-known", "trailer", "trailers")
# Trailers a backport states itself rather than taking from the chain.
OWN_KEYS = ("fixes", "cc")
UPSTREAM_RE = re.compile(r"^commit ([0-9a-f]{40}) upstream\.$", re.M)


class RecordError(Exception):
    pass


def load(path):
    """The record as {sha: {field: value or [values]}}, in file order."""
    records = {}
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise RecordError("%s: %s" % (path, e.strerror)) from e
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 4 or not all(c.strip() for c in cols):
            raise RecordError("%s:%d: want 4 tab-separated columns: "
                              "commit, field, value, source" % (path, n))
        sha, field, value, _source = cols
        if not re.fullmatch(r"[0-9a-f]{40}", sha):
            raise RecordError("%s:%d: '%s' is not a 40-digit commit id"
                              % (path, n, sha))
        if field not in FIELDS:
            raise RecordError("%s:%d: unknown field '%s'" % (path, n, field))
        r = records.setdefault(sha, {"fixes": [], "trailer": []})
        if field in ("fixes", "trailer"):
            r[field].append(value)
        elif field in r:
            raise RecordError("%s:%d: %s recorded twice for %s"
                              % (path, n, field, sha[:12]))
        else:
            r[field] = value
    for sha, r in records.items():
        for field in ("title", "author", "trailers"):
            if field not in r:
                raise RecordError("%s: %s has no %s" % (path, sha[:12], field))
        if r["trailers"] not in ("complete", "unknown"):
            raise RecordError("%s: %s: trailers must be complete or unknown"
                              % (path, sha[:12]))
        r.setdefault("fixes-known", "unknown")
        if r["fixes-known"] not in ("yes", "unknown"):
            raise RecordError("%s: %s: fixes-known must be yes or unknown"
                              % (path, sha[:12]))
    return records


def git(gitdir, *args):
    return subprocess.run(["git", "-C", gitdir] + list(args),
                          capture_output=True, text=True, check=False)


def upstream_commit(gitdir, sha):
    """{title, author, fixes, chain} of SHA in gitdir, or None."""
    if git(gitdir, "cat-file", "-e", sha + "^{commit}").returncode:
        return None
    out = git(gitdir, "log", "-1", "--format=%s%x00%an <%ae>%x00"
              "%(trailers:only,unfold)", sha).stdout
    title, author, trailers = out.split("\0", 2)
    fixes, chain = [], []
    for line in trailers.splitlines():
        if not line.strip():
            continue
        key, _, value = line.partition(":")
        if key.strip().lower() == "fixes":
            fixes.append(value.strip())
        elif key.strip().lower() not in OWN_KEYS:
            chain.append(line.strip())
    return {"title": title, "author": author, "fixes": fixes, "chain": chain}


def is_subsequence(part, whole):
    it = iter(whole)
    return all(any(x == y for y in it) for x in part)


def differences(sha, r, up):
    """The differences between record r of sha and its upstream commit."""
    short = sha[:12]
    if up is None:
        return ["%s: not a commit of UPSTREAM_GIT" % short]
    diffs = []
    for field in ("title", "author"):
        if r[field] != up[field]:
            diffs.append("%s: %s: recorded '%s', upstream '%s'"
                         % (short, field, r[field], up[field]))
    if r["fixes-known"] == "yes":
        if r["fixes"] != up["fixes"]:
            diffs.append("%s: fixes: recorded %s, upstream %s"
                         % (short, r["fixes"], up["fixes"]))
    else:
        for f in r["fixes"]:
            if f not in up["fixes"]:
                diffs.append("%s: fixes: recorded 'Fixes: %s' is not upstream"
                             % (short, f))
    if r["trailers"] == "complete":
        if r["trailer"] != up["chain"]:
            for t in r["trailer"]:
                if t not in up["chain"]:
                    diffs.append("%s: trailer: recorded '%s' is not upstream"
                                 % (short, t))
            for t in up["chain"]:
                if t not in r["trailer"]:
                    diffs.append("%s: trailer: upstream '%s' is not recorded"
                                 % (short, t))
            if sorted(r["trailer"]) == sorted(up["chain"]):
                diffs.append("%s: trailer: recorded in another order than "
                             "upstream" % short)
    else:
        missing = [t for t in r["trailer"] if t not in up["chain"]]
        for t in missing:
            diffs.append("%s: trailer: recorded '%s' is not upstream"
                         % (short, t))
        if not missing and not is_subsequence(r["trailer"], up["chain"]):
            diffs.append("%s: trailer: recorded in another order than "
                         "upstream" % short)
    return diffs


def cmd_check(records, gitdir, shas):
    if not gitdir:
        print("upstream.py check: no UPSTREAM_GIT given; pass UPSTREAM_GIT=/path/to/a/linux.git", file=sys.stderr)
        return 2
    shas = shas or list(records)
    diffs = []
    for sha in shas:
        if sha not in records:
            diffs.append("%s: not in the record" % sha[:12])
            continue
        up = upstream_commit(gitdir, sha)
        diffs += differences(sha, records[sha], up)
        if up and records[sha]["trailers"] == "unknown":
            extra = [t for t in up["chain"] if t not in records[sha]["trailer"]]
            if extra:
                print("%s: upstream has %d trailer(s) the record lacks "
                      "(recorded as unknown): %s"
                      % (sha[:12], len(extra), "; ".join(extra)),
                      file=sys.stderr)
    for d in diffs:
        print(d)
    return 1 if diffs else 0


def cmd_chain(records, gitdir, sha):
    r = records.get(sha)
    if r is None:
        print("%s: not in the record" % sha[:12], file=sys.stderr)
        return 1
    if r["trailers"] == "complete":
        print("\n".join(r["trailer"]))
        return 0
    up = upstream_commit(gitdir, sha) if gitdir else None
    if up is None:
        print("\n".join(r["trailer"]))
        return 3
    diffs = differences(sha, r, up)
    if diffs:
        for d in diffs:
            print(d, file=sys.stderr)
        return 1
    print("\n".join(up["chain"]))
    return 0


def cmd_get(records, sha, field):
    r = records.get(sha)
    if r is None:
        print("%s: not in the record" % sha[:12], file=sys.stderr)
        return 1
    if field == "chain":
        print("\n".join(r["trailer"]))
    elif field == "fixes":
        print("\n".join(r["fixes"]))
    elif field in r:
        print(r[field])
    else:
        print("unknown field '%s'" % field, file=sys.stderr)
        return 1
    return 0


def cmd_patches(records, paths):
    diffs = []
    for path in paths:
        name = os.path.basename(path)
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        body = msg.get_body(("plain",))
        text = body.get_content() if body else ""
        m = UPSTREAM_RE.search(text)
        if not m:
            diffs.append("%s: no 'commit <sha> upstream.' line" % name)
            continue
        sha = m.group(1)
        r = records.get(sha)
        if r is None:
            diffs.append("%s: %s is not in the record" % (name, sha[:12]))
            continue
        subject = re.sub(r"^\[[^]]*\]\s*", "", str(msg["Subject"]))
        if subject != r["title"]:
            diffs.append("%s: subject '%s', recorded title '%s'"
                         % (name, subject, r["title"]))
        author = str(msg["From"])
        if author != r["author"]:
            diffs.append("%s: From: '%s', recorded author '%s'"
                         % (name, author, r["author"]))
        for f in r["fixes"]:
            if "Fixes: " + f not in text.splitlines():
                diffs.append("%s: no 'Fixes: %s' line, which upstream has"
                             % (name, f))
    for d in diffs:
        print(d)
    return 1 if diffs else 0


def main(argv):
    record = os.environ.get("UPSTREAM_RECORD") or \
        os.path.join(TOP, "patches", "upstream.tsv")
    if argv[:1] == ["--record"] and len(argv) > 1:
        record, argv = argv[1], argv[2:]
    gitdir = None
    if len(argv) > 2 and argv[1] == "--git":
        gitdir = argv[2] or None
        argv = argv[:1] + argv[3:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        records = load(record)
    except RecordError as e:
        print("upstream.py: %s" % e, file=sys.stderr)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "get" and len(args) == 2:
        return cmd_get(records, args[0], args[1])
    if cmd == "check":
        return cmd_check(records, gitdir, args)
    if cmd == "chain" and len(args) == 1:
        return cmd_chain(records, gitdir, args[0])
    if cmd == "patches" and args:
        return cmd_patches(records, args)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
