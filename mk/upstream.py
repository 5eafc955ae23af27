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
      each backport in patches/ is of a recorded commit, with its
      recorded title as subject and its recorded author as From:, and
      its message is the 'commit SHA upstream.' line and a bracketed
      backport note, nothing else (no trailer: those are upstream's,
      added when mailing); a patch over 100 lines with context has a
      note that says why ('100 lines'). One line per difference, exit 1
  upstream.py [--record FILE] body [--git DIR] --sender WHO PATCH
      the message body to send or apply a backport PATCH (of patches/)
      with: the 'commit SHA upstream.' line, DIR's message of SHA
      verbatim (its trailer chain included), PATCH's backport note and
      WHO's Signed-off-by; exit 1 when DIR disagrees with the record,
      exit 3 when DIR does not have SHA (the body then has the recorded
      trailers only, and the upstream message is missing)
  upstream.py [--record FILE] same-body [--git DIR] --sender WHO PATCH
      exit 0 when the message on stdin (a commit's body) is what 'body'
      makes of PATCH, else 1 with a diff of the two
  upstream.py [--record FILE] mail [--git DIR] --sender WHO EMAIL...
      rewrite format-patch EMAILs of backports in place: From: the
      recorded author, the body as 'body' makes it; without DIR's
      message, one line under '---' says so. Exit as 'body' (3 when
      any upstream message is missing)

The record defaults to patches/upstream.tsv next to this script's
directory, or $UPSTREAM_RECORD.
"""

import difflib
import email
import email.policy
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELDS = ("title", "author", "fixes", "fixes-known", "trailer", "trailers")
UPSTREAM_RE = re.compile(r"^commit ([0-9a-f]{40}) upstream\.$", re.M)
# A line a commit message would take for a trailer, in patches/.
TRAILER_RE = re.compile(r"^(Fixes|Cc|Signed-off-by|Reviewed-by|Acked-by|"
                        r"Tested-by|Reported-by|Suggested-by|Link|Closes|"
                        r"Co-developed-by|Message-ID|Stable-dep-of):",
                        re.I | re.M)
# Stable's size rule (stable-kernel-rules.rst): 100 lines with context.
SIZE_LIMIT = 100
MISSING_NOTE = "Upstream message missing"


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
    """{title, author, fixes, chain, message} of SHA in gitdir, or None.
    chain is every trailer but Fixes: (those are in fixes), Cc: stable
    included; message is the body after the subject, verbatim."""
    if not gitdir or \
       git(gitdir, "cat-file", "-e", sha + "^{commit}").returncode:
        return None
    out = git(gitdir, "log", "-1", "--format=%s%x00%an <%ae>%x00"
              "%(trailers:only,unfold)%x00%b", sha).stdout
    title, author, trailers, message = out.split("\0", 3)
    fixes, chain, every = [], [], []
    for line in trailers.splitlines():
        if not line.strip():
            continue
        every.append(line.strip())
        key, _, value = line.partition(":")
        if key.strip().lower() == "fixes":
            fixes.append(value.strip())
        else:
            chain.append(line.strip())
    return {"title": title, "author": author, "fixes": fixes, "chain": chain,
            "trailers": every, "message": message.rstrip("\n")}


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


def recorded_chain(r):
    """The trailer lines the record has a source for: Fixes:, then the
    rest, in recorded order."""
    return ["Fixes: " + f for f in r["fixes"]] + r["trailer"]


def known_upstream(records, gitdir, sha):
    """(record, upstream commit or None, differences) for sha."""
    r = records.get(sha)
    if r is None:
        raise RecordError("%s: not in the record" % sha[:12])
    up = upstream_commit(gitdir, sha)
    return r, up, (differences(sha, r, up) if up else [])


def cmd_chain(records, gitdir, sha):
    try:
        r, up, diffs = known_upstream(records, gitdir, sha)
    except RecordError as e:
        print(e, file=sys.stderr)
        return 1
    if diffs:
        for d in diffs:
            print(d, file=sys.stderr)
        return 1
    if up:
        print("\n".join(up["trailers"]))
        return 0
    print("\n".join(recorded_chain(r)))
    complete = r["trailers"] == "complete" and r["fixes-known"] == "yes"
    return 0 if complete else 3


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


def split_patch(text):
    """(headers, body, rest) of a format-patch file: the header lines,
    the message body up to its '---' line, and that line on."""
    head, _, tail = text.partition("\n\n")
    body, sep, rest = ("\n" + tail).partition("\n---\n")
    return head, body[1:], (sep[1:] + rest) if sep else ""


def backport_parts(path):
    """{name, sha, note, subject, author, body, hunk_lines} of a patch."""
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    _head, body, rest = split_patch(raw.decode("utf-8", "replace"))
    m = UPSTREAM_RE.match(body)
    note = body[m.end():].strip("\n") if m else ""
    hunk = [ln for ln in rest.splitlines()
            if ln[:1] in (" ", "+", "-") and not ln.startswith(("+++", "---"))]
    return {"name": os.path.basename(path), "sha": m.group(1) if m else None,
            "note": note, "body": body,
            "subject": re.sub(r"^\[[^]]*\]\s*", "",
                              str(msg["Subject"] or "")),
            "author": str(msg["From"] or ""), "hunk_lines": len(hunk)}


def body_problems(p, r):
    """What is wrong with a backport's message in patches/."""
    name, out = p["name"], []
    for t in TRAILER_RE.finditer(p["body"]):
        line = p["body"][t.start():].split("\n", 1)[0]
        src = "recorded in upstream.tsv" if r and (
            line in recorded_chain(r)) else "no source in upstream.tsv"
        out.append("%s: trailer '%s' (%s): in patches/ a backport carries "
                   "none; upstream's come from UPSTREAM_GIT when mailing"
                   % (name, line, src))
    lines = p["note"].splitlines()
    opens = [ln for ln in lines if ln.startswith("[")]
    closes = [ln for ln in lines if ln.rstrip().endswith("]")]
    if not lines or opens != lines[:1] or closes != lines[-1:]:
        out.append("%s: the message must be 'commit <id> upstream.', a "
                   "blank line and one bracketed backport note '[ ... ]', "
                   "nothing else" % name)
    if p["hunk_lines"] > SIZE_LIMIT and "100 lines" not in p["note"]:
        out.append("%s: %d lines with context, over stable's %d, and the "
                   "note does not say why (mention '100 lines')"
                   % (name, p["hunk_lines"], SIZE_LIMIT))
    return out


def cmd_patches(records, paths):
    diffs = []
    for path in paths:
        p = backport_parts(path)
        name = p["name"]
        if not p["sha"]:
            diffs.append("%s: the message does not start with "
                         "'commit <40-digit id> upstream.'" % name)
            continue
        r = records.get(p["sha"])
        if r is None:
            diffs.append("%s: %s is not in the record" % (name, p["sha"][:12]))
            continue
        if p["subject"] != r["title"]:
            diffs.append("%s: subject '%s', recorded title '%s'"
                         % (name, p["subject"], r["title"]))
        if p["author"] != r["author"]:
            diffs.append("%s: From: '%s', recorded author '%s'"
                         % (name, p["author"], r["author"]))
        diffs += body_problems(p, r)
    for d in diffs:
        print(d)
    return 1 if diffs else 0


def compose(sha, note, up, r, sender):
    """A backport's body as sent: the id line, upstream's message (or the
    recorded trailers without it), the note, the sender's sign-off."""
    text = up["message"] if up else "\n".join(recorded_chain(r))
    parts = ["commit %s upstream." % sha, ""]
    if text:
        parts.append(text)
    if note:
        parts.append(note)
    parts.append("Signed-off-by: " + sender)
    return "\n".join(parts) + "\n"


def make_body(records, gitdir, sender, path):
    """(status, body, sha) for backport PATCH: 0 with upstream's message,
    3 without it, 1 when the record disagrees with gitdir."""
    p = backport_parts(path)
    if not p["sha"]:
        raise RecordError("%s: no 'commit <id> upstream.' line" % p["name"])
    r, up, diffs = known_upstream(records, gitdir, p["sha"])
    if diffs:
        raise RecordError("\n".join(diffs))
    return (0 if up else 3), compose(p["sha"], p["note"], up, r, sender), \
        p["sha"]


def cmd_body(records, gitdir, sender, path):
    try:
        rc, body, _sha = make_body(records, gitdir, sender, path)
    except RecordError as e:
        print(e, file=sys.stderr)
        return 1
    sys.stdout.write(body)
    return rc


def cmd_same_body(records, gitdir, sender, path, message):
    """Is message (a commit's body, as git am made it from an email) the
    body make_body gives for PATCH? A unified diff when not."""
    try:
        _rc, body, _sha = make_body(records, gitdir, sender, path)
    except RecordError as e:
        print(e, file=sys.stderr)
        return 1
    want, got = body.rstrip("\n"), message.rstrip("\n")
    if want == got:
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        (want + "\n").splitlines(True), (got + "\n").splitlines(True),
        "expected", "applied", n=1))
    return 1


def rewrite_mail(records, gitdir, sender, path):
    """Rewrite one email in place; its status as make_body's."""
    rc, body, sha = make_body(records, gitdir, sender, path)
    with open(path, encoding="utf-8") as f:
        head, _body, rest = split_patch(f.read())
    author = records[sha]["author"]
    head = re.sub(r"^From: .*(\n[ \t].*)*", lambda _m: "From: " + author,
                  head, count=1, flags=re.M)
    if rc == 3:
        rest = rest.replace("---\n", "---\n%s: %s is not in UPSTREAM_GIT, so "
                            "this patch lacks its upstream message and full "
                            "trailer chain; SEND=1 refuses to mail it.\n"
                            % (MISSING_NOTE, sha[:12]), 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + "\n\n" + body + rest)
    return rc


def cmd_mail(records, gitdir, sender, paths):
    worst = 0
    for path in paths:
        try:
            rc = rewrite_mail(records, gitdir, sender, path)
        except RecordError as e:
            print("%s: %s" % (os.path.basename(path), e), file=sys.stderr)
            return 1
        if rc == 3:
            print("%s: %s (no UPSTREAM_GIT with that commit): it has the "
                  "note and the recorded trailers only"
                  % (os.path.basename(path), MISSING_NOTE))
        worst = max(worst, rc)
    return worst


def main(argv):
    record = os.environ.get("UPSTREAM_RECORD") or \
        os.path.join(TOP, "patches", "upstream.tsv")
    if argv[:1] == ["--record"] and len(argv) > 1:
        record, argv = argv[1], argv[2:]
    gitdir = sender = None
    if len(argv) > 2 and argv[1] == "--git":
        gitdir = argv[2] or None
        argv = argv[:1] + argv[3:]
    if len(argv) > 2 and argv[1] == "--sender":
        sender = argv[2]
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
    if cmd == "body" and sender and len(args) == 1:
        return cmd_body(records, gitdir, sender, args[0])
    if cmd == "same-body" and sender and len(args) == 1:
        return cmd_same_body(records, gitdir, sender, args[0], sys.stdin.read())
    if cmd == "mail" and sender and args:
        return cmd_mail(records, gitdir, sender, args)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
