#!/usr/bin/env python3
"""Independent verifier of the fairness test vectors (fairness.md), standard library only.

Usage: python3 tests/fairness/verify.py engine/tests/vectors/fairness.json

Written from the spec, not from the Rust code: ChaCha20 is implemented here from RFC 8439,
Merkle proofs are checked by rebuilding the RFC 6962 tree shape recursively (the engine uses
the RFC 9162 loop), and pick is the linear definition (the engine uses a Fenwick tree).
fairlog/v1 records are re-encoded with `json.dumps(sort_keys=True)` and compared byte for
byte; checkpoints are opened as C2SP signed notes with Ed25519 written here from RFC 8032;
audit bundles are checked with the same named checks and statuses the engine reports.
Prints one line per failure and `N passed, M failed` at the end (`, K skipped` for the BLS
signature vectors, which need pairings, and for bundles whose only open question is a drand
signature other than the spec's published round 123); exits 1 on any failure.
"""

import base64
import binascii
import hashlib
import json
import re
import struct
import sys
import unicodedata

MASK32 = 0xFFFFFFFF
MASK64 = (1 << 64) - 1


def H(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def u64(n):
    return struct.pack(">Q", n)


def lp(b):
    if len(b) > 0xFFFF:
        raise ValueError("lp: too long")
    return struct.pack(">H", len(b)) + b


# ---------------------------------------------------------------- ChaCha20 (RFC 8439)

def _rotl(x, n):
    return ((x << n) & MASK32) | (x >> (32 - n))


def _quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & MASK32; s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & MASK32; s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & MASK32; s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & MASK32; s[b] = _rotl(s[b] ^ s[c], 7)


def chacha20_block(key, counter, nonce):
    state = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    state += list(struct.unpack("<8I", key))
    state += [counter & MASK32]
    state += list(struct.unpack("<3I", nonce))
    s = list(state)
    for _ in range(10):
        _quarter(s, 0, 4, 8, 12); _quarter(s, 1, 5, 9, 13)
        _quarter(s, 2, 6, 10, 14); _quarter(s, 3, 7, 11, 15)
        _quarter(s, 0, 5, 10, 15); _quarter(s, 1, 6, 11, 12)
        _quarter(s, 2, 7, 8, 13); _quarter(s, 3, 4, 9, 14)
    return struct.pack("<16I", *[(s[i] + state[i]) & MASK32 for i in range(16)])


class Stream:
    """Key = seed, nonce 0, counter from 0, consecutive little-endian u64 words."""

    def __init__(self, seed):
        assert len(seed) == 32
        self.key, self.counter, self.buf, self.words = seed, 0, b"", 0

    def next_u64(self):
        if len(self.buf) < 8:
            self.buf += chacha20_block(self.key, self.counter, b"\0" * 12)
            self.counter += 1
        w, self.buf = struct.unpack("<Q", self.buf[:8])[0], self.buf[8:]
        self.words += 1
        return w


def uniform(stream, n):
    if n < 1:
        raise ValueError("uniform: n must be >= 1")
    t = (2**64 - n) % n
    while True:
        m = stream.next_u64() * n
        if m & MASK64 >= t:
            return m >> 64


def pick(weights, r):
    acc = 0
    for i, w in enumerate(weights):
        acc += w
        if acc > r:
            return i
    return None


# ---------------------------------------------------------------- RFC 6962 Merkle tree

def leaf_hash(leaf):
    return H(b"\x00", leaf)


def node(l, r):
    return H(b"\x01", l, r)


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(hashes):
    if not hashes:
        return H()
    if len(hashes) == 1:
        return hashes[0]
    k = split(len(hashes))
    return node(mth(hashes[:k]), mth(hashes[k:]))


def path(hashes, m):
    if len(hashes) <= 1:
        return []
    k = split(len(hashes))
    if m < k:
        return path(hashes[:k], m) + [mth(hashes[k:])]
    return path(hashes[k:], m - k) + [mth(hashes[:k])]


def subproof(hashes, m, b):
    n = len(hashes)
    if m == n:
        return [] if b else [mth(hashes)]
    k = split(n)
    if m <= k:
        return subproof(hashes[:k], m, b) + [mth(hashes[k:])]
    return subproof(hashes[k:], m - k, False) + [mth(hashes[:k])]


def inclusion_root(i, n, h, proof):
    """Rebuilds the root along the RFC 6962 shape; proof is consumed from its top end."""
    if n == 1:
        if proof:
            raise ValueError("proof too long")
        return h
    if not proof:
        raise ValueError("proof too short")
    k, top, rest = split(n), proof[-1], proof[:-1]
    if i < k:
        return node(inclusion_root(i, k, h, rest), top)
    return node(top, inclusion_root(i - k, n - k, h, rest))


def verify_inclusion(h, i, n, proof, root):
    if not 0 <= i < n:
        return False
    try:
        return inclusion_root(i, n, h, proof) == root
    except ValueError:
        return False


def _consistency(m, n, proof, complete, old_root):
    """Mirror of SUBPROOF: returns (old subtree hash, new subtree hash, proof left over)."""
    if m == n:
        if complete:
            return old_root, old_root, proof
        if not proof:
            raise ValueError("proof too short")
        return proof[-1], proof[-1], proof[:-1]
    if not proof:
        raise ValueError("proof too short")
    k, top, rest = split(n), proof[-1], proof[:-1]
    if m <= k:
        old, new, left = _consistency(m, k, rest, complete, old_root)
        return old, node(new, top), left
    old, new, left = _consistency(m - k, n - k, rest, False, old_root)
    return node(top, old), node(top, new), left


def verify_consistency(m, n, old_root, new_root, proof):
    if m > n:
        return False
    if m == n:
        return not proof and old_root == new_root
    if m == 0:
        return not proof
    try:
        old, new, left = _consistency(m, n, proof, True, old_root)
    except ValueError:
        return False
    return not left and old == old_root and new == new_root


# ---------------------------------------------------------------- drand quicknet

GENESIS, PERIOD = 1692803367, 3


def round_time(r):
    return None if r < 1 else GENESIS + PERIOD * (r - 1)


def first_round(t):
    return 1 if t <= GENESIS else -(-(t - GENESIS) // PERIOD) + 1


# ---------------------------------------------------------------- fairdraw/v1

def draw_server_commit(seed):
    return H(b"fairdraw/v1/server-seed", seed)


def user_commit(draw_id, member_id, salt):
    return H(b"fairdraw/v1/user", lp(draw_id), lp(member_id), salt)


def entry_leaf(draw_id, uc, weight, client_seed):
    return b"fairdraw/v1/entry" + lp(draw_id) + uc + u64(weight) + client_seed


def draw_winners(seed, commits, weights, k):
    weights = list(weights)
    s, out = Stream(seed), []
    for _ in range(k):
        total = sum(weights)
        if total == 0:
            break
        i = pick(weights, uniform(s, total))
        out.append(i)
        for j, c in enumerate(commits):
            if c == commits[i]:
                weights[j] = 0
    return out


def check_draw(v):
    draw_id = v["draw_id"].encode()
    server_seed = bytes.fromhex(v["server_seed"])
    commits, weights, leaves = [], [], []
    for e in v["entries"]:
        uc = user_commit(draw_id, e["member_id"].encode(), bytes.fromhex(e["salt"]))
        w = int(e["weight"])
        commits.append(uc)
        weights.append(w)
        leaves.append(entry_leaf(draw_id, uc, w, bytes.fromhex(e["client_seed"])))
    root = mth([leaf_hash(x) for x in leaves])
    n, w = len(leaves), sum(weights)
    seed = H(b"fairdraw/v1/seed", lp(draw_id), bytes.fromhex(v["open_record_hash"]), root, u64(n),
             u64(w), server_seed, u64(v["round"]), bytes.fromhex(v["rho"]))
    winners = draw_winners(seed, commits, weights, v["k"])
    c = v["claimed"]
    if draw_server_commit(server_seed).hex() != c["server_commit"]:
        return "commit"
    if root.hex() != c["entries_root"]:
        return "root"
    if n != c["n"] or w != int(c["w"]):
        return "totals"
    if seed.hex() != c["seed"]:
        return "seed"
    if winners != c["winners"]:
        return "winners"
    return None


# ---------------------------------------------------------------- fairspin/v1

def spin_server_commit(seed):
    return H(b"fairspin/v1/server-seed", seed)


def wheel_hash(segments):
    out = b"fairspin/v1/wheel" + u64(len(segments))
    for s in segments:
        out += lp(s["id"].encode()) + u64(int(s["weight"]))
    return H(out)


def spin_seed(wh, server_seed, client_seed, nonce, rnd, rho):
    assert 1 <= len(client_seed) <= 64
    return H(b"fairspin/v1/seed", wh, server_seed, lp(client_seed), u64(nonce), u64(rnd), rho)


def spin_segment(seed, segments):
    weights = [int(s["weight"]) for s in segments]
    return pick(weights, uniform(Stream(seed), sum(weights)))


def spin_inputs(v):
    return (bytes.fromhex(v["server_seed"]), bytes.fromhex(v["client_seed"]), v["round"],
            bytes.fromhex(v["rho"]))


# ---------------------------------------------------------------- vector kinds

def k_stream(v):
    s = Stream(bytes.fromhex(v["seed"]))
    for _ in range(v["skip"]):
        s.next_u64()
    return ["%016x" % s.next_u64() for _ in v["words"]] == v["words"]


def k_uniform(v):
    s = Stream(bytes.fromhex(v["seed"]))
    for c in v["calls"]:
        if uniform(s, int(c["n"])) != int(c["value"]) or s.words != c["words"]:
            return False
    return True


def k_pick(v):
    return pick([int(w) for w in v["weights"]], int(v["r"])) == v["index"]


def k_pick_sequence(v):
    weights = [int(w) for w in v["weights"]]
    for st in v["steps"]:
        if st["op"] == "pick":
            if pick(weights, int(st["r"])) != st["index"]:
                return False
        else:
            weights[st["index"]] = int(st["weight"])
    return True


def k_merkle_root(v):
    return mth([leaf_hash(bytes.fromhex(x)) for x in v["leaves"]]).hex() == v["root"]


def k_merkle_inclusion(v):
    proof = [bytes.fromhex(p) for p in v["proof"]]
    h = leaf_hash(bytes.fromhex(v["leaf"]))
    ok = verify_inclusion(h, v["index"], v["tree_size"], proof, bytes.fromhex(v["root"]))
    if ok != v["valid"]:
        return False
    if "leaves" in v:  # the proof must also be the one RFC 6962 PATH produces
        hashes = [leaf_hash(bytes.fromhex(x)) for x in v["leaves"]]
        return path(hashes, v["index"]) == proof and mth(hashes).hex() == v["root"]
    return True


def k_merkle_consistency(v):
    proof = [bytes.fromhex(p) for p in v["proof"]]
    ok = verify_consistency(v["old_size"], v["new_size"], bytes.fromhex(v["old_root"]),
                            bytes.fromhex(v["new_root"]), proof)
    if ok != v["valid"]:
        return False
    if "leaves" in v:
        hashes = [leaf_hash(bytes.fromhex(x)) for x in v["leaves"]]
        m = v["old_size"]
        expect = [] if m == len(hashes) else subproof(hashes, m, True)
        return (expect == proof and mth(hashes[:m]).hex() == v["old_root"]
                and mth(hashes).hex() == v["new_root"])
    return True


def k_drand_time(v):
    return (round_time(v["round"]) == v["time"]) == v["valid"]


def k_drand_first_round(v):
    r = first_round(v["t"])
    return r == v["round"] and round_time(r) >= v["t"] and (r == 1 or round_time(r - 1) < v["t"])


def k_drand_rho(v):
    return (H(bytes.fromhex(v["signature"])).hex() == v["rho"]) == v["valid"]


def k_server_commit(v):
    f = draw_server_commit if v["scheme"] == "fairdraw/v1" else spin_server_commit
    return (f(bytes.fromhex(v["server_seed"])).hex() == v["server_commit"]) == v["valid"]


def k_fairdraw_entry(v):
    draw_id = v["draw_id"].encode()
    uc = user_commit(draw_id, v["member_id"].encode(), bytes.fromhex(v["salt"]))
    leaf = entry_leaf(draw_id, uc, int(v["weight"]), bytes.fromhex(v["client_seed"]))
    return uc.hex() == v["user_commit"] and leaf.hex() == v["leaf"] and leaf_hash(leaf).hex() == v["leaf_hash"]


def k_fairdraw(v):
    return check_draw(v) == v["expect_error"]


def k_wheel_hash(v):
    return (wheel_hash(v["segments"]).hex() == v["wheel_hash"]) == v["valid"]


def k_fairspin(v):
    server_seed, client, rnd, rho = spin_inputs(v)
    wh = wheel_hash(v["segments"])
    if wh.hex() != v["wheel_hash"] or spin_server_commit(server_seed).hex() != v["server_commit"]:
        return False
    for s in v["spins"]:
        seed = spin_seed(wh, server_seed, client, s["nonce"], rnd, rho)
        if seed.hex() != s["seed"] or spin_segment(seed, v["segments"]) != s["segment"]:
            return False
    return True


def k_fairspin_check(v):
    server_seed, client, rnd, rho = spin_inputs(v)
    c = v["claimed"]
    wh = wheel_hash(v["segments"])
    seed = spin_seed(wh, server_seed, client, v["nonce"], rnd, rho)
    if spin_server_commit(server_seed).hex() != c["server_commit"]:
        err = "commit"
    elif wh.hex() != c["wheel_hash"]:
        err = "wheel_hash"
    elif seed.hex() != c["seed"]:
        err = "seed"
    elif spin_segment(seed, v["segments"]) != c["segment"]:
        err = "segment"
    else:
        err = None
    return err == v["expect_error"]


def k_fairspin_segment(v):
    return spin_segment(bytes.fromhex(v["seed"]), v["segments"]) == v["segment"]


# ---------------------------------------------------------------- Ed25519 (RFC 8032 verify)

ED_P = 2**255 - 19
ED_L = 2**252 + 27742317777372353535851937790883648493
ED_D = -121665 * pow(121666, ED_P - 2, ED_P) % ED_P
ED_I = pow(2, (ED_P - 1) // 4, ED_P)


def _ed_x(y, sign):
    if y >= ED_P:
        return None
    x2 = (y * y - 1) * pow(ED_D * y * y + 1, ED_P - 2, ED_P) % ED_P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (ED_P + 3) // 8, ED_P)
    if (x * x - x2) % ED_P:
        x = x * ED_I % ED_P
    if (x * x - x2) % ED_P:
        return None
    return ED_P - x if (x & 1) != sign else x


def _ed_add(p, q):
    a = (p[1] - p[0]) * (q[1] - q[0]) % ED_P
    b = (p[1] + p[0]) * (q[1] + q[0]) % ED_P
    c = 2 * p[3] * q[3] * ED_D % ED_P
    d = 2 * p[2] * q[2] % ED_P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % ED_P, g * h % ED_P, f * g % ED_P, e * h % ED_P)


def _ed_mul(s, p):
    q = (0, 1, 1, 0)
    while s:
        if s & 1:
            q = _ed_add(q, p)
        p, s = _ed_add(p, p), s >> 1
    return q


def _ed_eq(p, q):
    return (p[0] * q[2] - q[0] * p[2]) % ED_P == 0 and (p[1] * q[2] - q[1] * p[2]) % ED_P == 0


def _ed_point(b):
    y = int.from_bytes(b, "little")
    x = _ed_x(y & ((1 << 255) - 1), y >> 255)
    return None if x is None else (x, y & ((1 << 255) - 1), 1, x * (y & ((1 << 255) - 1)) % ED_P)


_ED_GY = 4 * pow(5, ED_P - 2, ED_P) % ED_P
ED_B = (_ed_x(_ED_GY, 0), _ED_GY, 1, _ed_x(_ED_GY, 0) * _ED_GY % ED_P)
_ED_ZERO = (0, 1, 1, 0)


def ed25519_verify(pub, msg, sig):
    """Cofactorless RFC 8032 check, refusing S >= L and small-order A or R (as verify_strict)."""
    if len(pub) != 32 or len(sig) != 64:
        return False
    a, r = _ed_point(pub), _ed_point(sig[:32])
    s = int.from_bytes(sig[32:], "little")
    if a is None or r is None or s >= ED_L:
        return False
    if _ed_eq(_ed_mul(8, a), _ED_ZERO) or _ed_eq(_ed_mul(8, r), _ED_ZERO):
        return False
    k = int.from_bytes(hashlib.sha512(sig[:32] + pub + msg).digest(), "little") % ED_L
    return _ed_eq(_ed_mul(s, ED_B), _ed_add(r, _ed_mul(k, a)))


# ---------------------------------------------------------------- C2SP signed note + checkpoint

class NoteError(Exception):
    pass


def b64d(s):
    """Canonical standard base64 only (re-encoding must give the same text)."""
    try:
        raw = base64.b64decode(s, validate=True)
    except (ValueError, binascii.Error):
        raise NoteError("base64")
    if base64.b64encode(raw).decode() != s:
        raise NoteError("base64 not canonical")
    return raw


def valid_key_name(name):
    return bool(name) and not any(c.isspace() or c == "+" for c in name)


def valid_text(text):
    return text.endswith("\n") and not any(
        unicodedata.category(c) == "Cc" and c != "\n" for c in text)


def key_id(name, pub):
    return H(name.encode(), b"\n\x01", pub)[:4]


def parse_verifier_key(s):
    # Only the first two "+" separate fields: base64 may contain "+" too.
    parts = s.split("+", 2)
    if len(parts) != 3:
        raise NoteError("verifier key")
    name, kid, key = parts
    raw = b64d(key)
    if not valid_key_name(name) or len(raw) != 33 or raw[0] != 1 or kid != key_id(name, raw[1:]).hex():
        raise NoteError("verifier key")
    return name, raw[1:]


def split_note(note):
    at = note.rfind("\n\n")
    if at < 0:
        raise NoteError("no blank line")
    text, sigs = note[:at + 1], note[at + 2:]
    if not valid_text(text) or not sigs.endswith("\n"):
        raise NoteError("malformed")
    out = []
    for line in sigs[:-1].split("\n"):
        if not line.startswith("\u2014 ") or " " not in line[2:]:
            raise NoteError("signature line")
        name, blob = line[2:].split(" ", 1)
        blob = b64d(blob)
        if not valid_key_name(name) or len(blob) < 5:
            raise NoteError("signature line")
        out.append((name, blob[:4], blob[4:]))
    return text, out


def open_note(note, name, pub):
    text, sigs = split_note(note)
    ok = False
    for n, kid, sig in sigs:
        if n == name and kid == key_id(name, pub):
            if not ed25519_verify(pub, text.encode(), sig):
                raise NoteError("bad signature")
            ok = True
    if not ok:
        raise NoteError("no signature by this key")
    return text


def parse_checkpoint(body):
    if not body.endswith("\n"):
        raise NoteError("checkpoint")
    lines = body[:-1].split("\n")
    if len(lines) < 3 or not all(lines[:1] + lines[3:]):
        raise NoteError("checkpoint")
    origin, size, root = lines[0], lines[1], b64d(lines[2])
    if not re.fullmatch(r"0|[1-9][0-9]*", size) or int(size) >= 2**64 or len(root) != 32:
        raise NoteError("checkpoint")
    return {"origin": origin, "size": int(size), "root": root}


def parse_unverified(note):
    at = note.rfind("\n\n")
    if at < 0:
        raise NoteError("no blank line")
    return parse_checkpoint(note[:at + 1])


# ---------------------------------------------------------------- fairlog/v1 records

U64, STR, H32, BYTES, U64S, SEGS = "u64", "str", "h32", "bytes", "u64s", "segments"
RECORD_SCHEMA = {
    "DRAW_OPEN": {"draw_id": STR, "prizes": U64, "ticket_price": U64, "per_member_limit": U64,
                  "t_open": U64, "t_close": U64, "round": U64, "server_commit": H32},
    "DRAW_CLOSE": {"draw_id": STR, "n": U64, "w": U64, "entries_root": H32},
    "DRAW_REVEAL": {"draw_id": STR, "server_seed": H32},
    "DRAW_RESULT": {"draw_id": STR, "round": U64, "beacon_signature": BYTES, "seed": H32,
                    "winners": U64S},
    "SPIN": {"member": STR, "wheel_hash": H32, "server_commit": H32, "client_seed": BYTES,
             "nonce": U64, "t": U64, "round": U64, "beacon_signature": BYTES, "seed": H32,
             "segment": U64},
    "SPIN_SEED_COMMIT": {"member": STR, "server_commit": H32},
    "SPIN_SEED_REVEAL": {"member": STR, "server_commit": H32, "server_seed": H32},
    "WHEEL_CONFIG": {"wheel_id": STR, "segments": SEGS, "wheel_hash": H32},
}


def is_u64(v):
    return type(v) is int and 0 <= v < 2**64


def hexd(s, n=None):
    """Lowercase hex only; None when malformed or not n bytes."""
    if not isinstance(s, str) or not re.fullmatch(r"(?:[0-9a-f]{2})*", s):
        return None
    b = bytes.fromhex(s)
    return b if n is None or len(b) == n else None


def _field(t, v):
    if t == U64:
        ok = is_u64(v)
    elif t == STR:
        ok = isinstance(v, str)
    elif t in (H32, BYTES):
        b = hexd(v, 32 if t == H32 else None)
        ok, v = b is not None, b
    elif t == U64S:
        ok = isinstance(v, list) and all(is_u64(x) for x in v)
    else:
        ok = isinstance(v, list) and all(
            isinstance(s, dict) and set(s) == {"id", "weight"} and isinstance(s["id"], str)
            and is_u64(s["weight"]) for s in v)
    if not ok:
        raise ValueError("field type")
    return v


def _no_float(x):
    raise ValueError("not an integer: " + x)


def _pairs(ps):
    if len({k for k, _ in ps}) != len(ps):
        raise ValueError("duplicate key")
    return dict(ps)


def decode_record(raw):
    """Typed record dict (hex fields as bytes) of canonical fairlog/v1 bytes; ValueError else."""
    obj = json.loads(raw.decode("utf-8"), object_pairs_hook=_pairs, parse_float=_no_float,
                     parse_constant=_no_float)
    if not isinstance(obj, dict) or obj.get("format") != "fairlog/v1":
        raise ValueError("not a fairlog/v1 object")
    schema = RECORD_SCHEMA.get(obj.get("kind"))
    if schema is None or set(obj) != set(schema) | {"format", "kind"}:
        raise ValueError("kind or keys")
    canon = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if canon.encode("utf-8") != raw:
        raise ValueError("not canonical")
    out = {k: _field(t, obj[k]) for k, t in schema.items()}
    out["kind"] = obj["kind"]
    return out


# ---------------------------------------------------------------- fairbundle/v1 audit bundles

PASS, FAIL, WARN, SKIP = "passed", "failed", "warning", "skipped"
PUBLISHED_BEACON = (123, bytes.fromhex(
    "b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482"
    "e26cd02df835d3546d23c4b13e0dfc92"))


class Unverifiable(Exception):
    """A BLS signature this verifier cannot check (pairings are out of the standard library)."""


class Report:
    def __init__(self):
        self.checks = []

    def status(self, name):
        return next((s for n, s in self.checks if n == name), None)

    def push(self, name, status):
        self.checks.append((name, status))

    def run(self, name, needs, f):
        if any(self.status(n) in (FAIL, SKIP) for n in needs):
            self.push(name, SKIP)
            return
        try:
            self.push(name, f())
        except Unverifiable:
            raise
        except Exception:  # a value the rule cannot use is that check's failure
            self.push(name, FAIL)


def bundle_checkpoint(b, pinned):
    note = b["log"]["checkpoint"]

    def unverified():
        try:
            return parse_unverified(note)
        except NoteError:
            return None
    try:
        own = parse_verifier_key(b["log"]["verifier_key"])
    except NoteError:
        return FAIL, unverified()
    if pinned is not None and pinned != own:
        return FAIL, unverified()
    try:
        cp = parse_checkpoint(open_note(note, *own))
    except NoteError:
        return FAIL, unverified()
    return (PASS if pinned is not None else WARN), cp


def bundle_inclusions(b, cp, rep):
    found = []
    for r in b["records"]:
        raw = r["record"].encode("utf-8")
        try:
            rec = decode_record(raw)
        except (ValueError, UnicodeError):
            rec = None
        proof = [hexd(p, 32) for p in r["proof"]]
        ok = (rec is not None and cp is not None and None not in proof
              and verify_inclusion(leaf_hash(raw), r["index"], cp["size"], proof, cp["root"]))
        rep.push("inclusion:" + (rec["kind"] if rec else "#%d" % r["index"]), PASS if ok else FAIL)
        if rec is not None:
            found.append((r["index"], rec, raw))
    return found


def bundle_beacon(b, rounds, signature, after):
    beacon = b["beacon"]
    if beacon["mode"] == "none":
        return WARN if all(r == 0 for r in rounds) and signature == b"" else FAIL
    rnd, sig = beacon["round"], hexd(beacon["signature"])
    if sig is None or rnd == 0 or any(r != rnd for r in rounds) or sig != signature:
        return FAIL
    if (rnd, sig) != PUBLISHED_BEACON:
        raise Unverifiable()
    return PASS if round_time(rnd) > after else FAIL


def first(found, kind):
    return next(((i, r, raw) for i, r, raw in found if r["kind"] == kind), (None, None, None))


def shape_ok(b, found, required, optional, order):
    kinds = [r["kind"] for _, r, _ in found]
    if b["format"] != "fairbundle/v1" or len(found) != len(b["records"]):
        return False
    if any(k not in required + optional or kinds.count(k) > 1 for k in kinds):
        return False
    if any(k not in kinds for k in required):
        return False
    idx = [first(found, k)[0] for k in order if k in kinds]
    return all(a < c for a, c in zip(idx, idx[1:]))


def spin_checks(b, found, rep):
    wi, wheel, _ = first(found, "WHEEL_CONFIG")
    _, commit, _ = first(found, "SPIN_SEED_COMMIT")
    si, spin, _ = first(found, "SPIN")
    _, reveal, _ = first(found, "SPIN_SEED_REVEAL")
    seed = hexd(b["server_seed"], 32)
    ok = (shape_ok(b, found, ["WHEEL_CONFIG", "SPIN_SEED_COMMIT", "SPIN"], ["SPIN_SEED_REVEAL"],
                   ["SPIN_SEED_COMMIT", "SPIN", "SPIN_SEED_REVEAL"])
          and wi < si and commit["member"] == spin["member"]
          and (reveal is None or reveal["member"] == spin["member"]))
    rep.push("records", PASS if ok else FAIL)

    def commitment():
        c = spin_server_commit(seed)
        ok = c == commit["server_commit"] == spin["server_commit"]
        ok = ok and (reveal is None or (reveal["server_seed"] == seed and reveal["server_commit"] == c))
        return PASS if ok else FAIL
    needs = ["inclusion:SPIN_SEED_COMMIT", "inclusion:SPIN"] + (
        ["inclusion:SPIN_SEED_REVEAL"] if reveal else [])
    rep.run("commitment", needs, commitment)
    rep.run("beacon", ["inclusion:SPIN"],
            lambda: bundle_beacon(b, [spin["round"]], spin["beacon_signature"], spin["t"]))
    rep.run("wheel", ["inclusion:WHEEL_CONFIG", "inclusion:SPIN"],
            lambda: PASS if wheel_hash(wheel["segments"]) == wheel["wheel_hash"] == spin["wheel_hash"] else FAIL)

    def spin_seed_check():
        rho = bytes(32) if spin["round"] == 0 else H(spin["beacon_signature"])
        s = spin_seed(spin["wheel_hash"], seed, spin["client_seed"], spin["nonce"], spin["round"], rho)
        return PASS if s == spin["seed"] else FAIL
    rep.run("seed", ["inclusion:SPIN", "commitment", "beacon"], spin_seed_check)
    rep.run("outcome", ["inclusion:SPIN", "wheel"],
            lambda: PASS if spin_segment(spin["seed"], wheel["segments"]) == spin["segment"] else FAIL)


def draw_checks(b, found, rep):
    _, op, open_raw = first(found, "DRAW_OPEN")
    _, close, _ = first(found, "DRAW_CLOSE")
    _, reveal, _ = first(found, "DRAW_REVEAL")
    _, result, _ = first(found, "DRAW_RESULT")
    seed = hexd(b["server_seed"], 32)
    order = ["DRAW_OPEN", "DRAW_CLOSE", "DRAW_REVEAL", "DRAW_RESULT"]
    ok = (shape_ok(b, found, ["DRAW_OPEN", "DRAW_CLOSE", "DRAW_RESULT"], ["DRAW_REVEAL"], order)
          and close["draw_id"] == op["draw_id"] == result["draw_id"]
          and (reveal is None or reveal["draw_id"] == op["draw_id"]))
    rep.push("records", PASS if ok else FAIL)

    def commitment():
        ok = draw_server_commit(seed) == op["server_commit"]
        return PASS if ok and (reveal is None or reveal["server_seed"] == seed) else FAIL
    rep.run("commitment", ["inclusion:DRAW_OPEN"] + (["inclusion:DRAW_REVEAL"] if reveal else []),
            commitment)
    rep.run("beacon", ["inclusion:DRAW_OPEN", "inclusion:DRAW_RESULT"],
            lambda: bundle_beacon(b, [op["round"], result["round"]], result["beacon_signature"],
                                  op["t_close"]))
    entries = [(hexd(e["user_commit"], 32), e["weight"], hexd(e["client_seed"], 32))
               for e in b.get("entries", [])]

    def entries_check():
        draw_id = close["draw_id"].encode()
        if any(u is None or c is None for u, _, c in entries):
            return FAIL
        leaves = [entry_leaf(draw_id, u, w, c) for u, w, c in entries]
        w = sum(x for _, x, _ in entries)
        ok = (mth([leaf_hash(x) for x in leaves]) == close["entries_root"]
              and len(entries) == close["n"] and w == close["w"])
        return PASS if ok else FAIL
    rep.run("entries", ["inclusion:DRAW_CLOSE"], entries_check)

    def seed_check():
        rho = bytes(32) if result["round"] == 0 else H(result["beacon_signature"])
        s = H(b"fairdraw/v1/seed", lp(op["draw_id"].encode()), H(open_raw), close["entries_root"],
              u64(close["n"]), u64(close["w"]), seed, u64(result["round"]), rho)
        return PASS if s == result["seed"] else FAIL
    rep.run("seed", ["inclusion:DRAW_OPEN", "inclusion:DRAW_CLOSE", "inclusion:DRAW_RESULT",
                     "commitment", "beacon"], seed_check)

    def outcome():
        got = draw_winners(result["seed"], [u for u, _, _ in entries], [w for _, w, _ in entries],
                           op["prizes"])
        return PASS if got == result["winners"] else FAIL
    rep.run("outcome", ["inclusion:DRAW_OPEN", "inclusion:DRAW_RESULT", "entries"], outcome)


def verify_bundle(b, pinned):
    """[(check name, status)] for a bundle, as the engine's verify reports them."""
    rep = Report()
    status, cp = bundle_checkpoint(b, pinned)
    rep.push("checkpoint", status)
    found = bundle_inclusions(b, cp, rep)
    (spin_checks if b["type"] == "spin" else draw_checks)(b, found, rep)
    return rep.checks


def k_fairlog_record(v):
    raw = v["record"].encode("utf-8")
    try:
        rec = decode_record(raw)
    except (ValueError, UnicodeError):
        return not v["valid"]
    return v["valid"] and rec["kind"] == v["record_kind"] and leaf_hash(raw).hex() == v["leaf_hash"]


def k_signed_checkpoint(v):
    pub = bytes.fromhex(v["public_key"])
    if parse_verifier_key(v["verifier_key"]) != (v["key_name"], pub):
        return False
    if key_id(v["key_name"], pub).hex() != v["key_id"]:
        return False
    try:
        cp = parse_checkpoint(open_note(v["note"], v["verify_name"], bytes.fromhex(v["verify_key"])))
    except NoteError:
        return not v["valid"]
    c = v["checkpoint"]
    return v["valid"] and cp == {"origin": c["origin"], "size": c["size"], "root": bytes.fromhex(c["root"])}


def k_fair_bundle(v):
    pinned = parse_verifier_key(v["pinned_key"]) if v["pinned_key"] else None
    try:
        got = verify_bundle(v["bundle"], pinned)
    except Unverifiable:
        return "skip"
    return [list(x) for x in got] == [[c["name"], c["status"]] for c in v["expect"]]


# BLS12-381 pairings are out of reach of the standard library: these vectors are counted as
# skipped here (the engine checks them with drand-verify); rho = H(signature) is still checked
# through the drand_rho vectors.
SKIPPED_KINDS = {"drand_signature"}

KINDS = {name[2:]: f for name, f in globals().items() if name.startswith("k_")}

# The spec's published values, checked here so the JSON cannot drift from fairness.md.
PUBLISHED_DRAW = {
    "entries_root": "440d09f2afe8b4b9dc61a254201b35d4184ff85f7e38eb00d7565b25deac6105",
    "server_commit": "0e0684b4087e550348b02905f1f9ba0e8fe2ef779740809e0b5f07e1053ba8dd",
    "seed": "1b7d7964b228e65c2428c474915f77f8c41b68c035920e57b3bb609dedb46728",
    "winners": [4, 2, 0], "n": 6, "w": "20",
}
WHEEL = "4b2f48925033c2f05566114dfc120f1de59a07db1e67923d36bc2e90ab89a8c0"
SPIN_COMMIT = "862ebebc2abac819c0ce94f1235bd57916ca0f54fdbd9731e0f7152d407e0e0f"


def self_checks(vectors):
    """Spec constants and an RFC 8439 known answer, independent of the JSON."""
    fails = []
    if "%016x" % Stream(bytes(32)).next_u64() != "903df1a0ade0b876":
        fails.append("zero-seed first word")
    # RFC 8439 section 2.3.2: key 00..1f, counter 1, nonce 000000090000004a00000000.
    blk = chacha20_block(bytes(range(32)), 1, bytes.fromhex("000000090000004a00000000"))
    if blk[:16].hex() != "10f1e7e4d13b5915500fdd1fa32071c4":
        fails.append("RFC 8439 2.3.2 block")
    sig = bytes.fromhex("b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482"
                        "e26cd02df835d3546d23c4b13e0dfc92")
    if H(sig).hex() != "fb8f7bc29bf24db51871ec8c79f3a1e4bd0557bc0dfcee9ed1d924e69d1c60dc":
        fails.append("rho(123)")
    # RFC 8032 section 7.1, test 1 (empty message), and the same signature on another message.
    ed_pub = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    ed_sig = bytes.fromhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                           "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
    if not ed25519_verify(ed_pub, b"", ed_sig) or ed25519_verify(ed_pub, b"x", ed_sig):
        fails.append("RFC 8032 test 1")
    pub = [v for v in vectors if v.get("published")]
    draws = [v for v in pub if v["kind"] == "fairdraw"]
    spins = [v for v in pub if v["kind"] == "fairspin"]
    if len(draws) != 1 or {k: draws[0]["claimed"][k] for k in PUBLISHED_DRAW} != PUBLISHED_DRAW:
        fails.append("published draw values")
    got = {(tuple(s["nonce"] for s in v["spins"]), v["round"]): v for v in spins}
    nb, b = got.get(((0, 1, 2, 3, 4), 0)), got.get(((0,), 123))
    if (nb is None or b is None or nb["wheel_hash"] != WHEEL or nb["server_commit"] != SPIN_COMMIT
            or [s["segment"] for s in nb["spins"]] != [1, 4, 2, 3, 2]
            or nb["spins"][0]["seed"] != "79376ff6f616ed772a0eea33d8ec355d1a01038f574ba75c244fea6bed7776ba"
            or b["spins"][0]["seed"] != "fa5f0c368d11b585d1d2d131163676eae57cc0df32c3b0604c2b88e1f257c281"
            or b["spins"][0]["segment"] != 1):
        fails.append("published spin values")
    return fails


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        vectors = json.load(f)["vectors"]
    passed = failed = skipped = 0
    for name in self_checks(vectors):
        print("FAIL self-check: " + name)
        failed += 1
    for v in vectors:
        if v["kind"] in SKIPPED_KINDS:
            skipped += 1
            continue
        f = KINDS.get(v["kind"])
        try:
            ok = f is not None and f(v)
        except Exception as e:  # a crash on a vector is a disagreement, not a pass
            print("ERROR %s / %s: %r" % (v["kind"], v.get("name"), e))
            ok = False
        if ok == "skip":
            skipped += 1
        elif ok:
            passed += 1
        else:
            print("FAIL %s / %s" % (v["kind"], v.get("name")))
            failed += 1
    if skipped:
        print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    else:
        print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
