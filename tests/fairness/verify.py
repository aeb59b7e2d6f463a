#!/usr/bin/env python3
"""Independent verifier of the fairness test vectors (fairness.md), standard library only.

Usage: python3 tests/fairness/verify.py engine/tests/vectors/fairness.json

Written from the spec, not from the Rust code: ChaCha20 is implemented here from RFC 8439,
Merkle proofs are checked by rebuilding the RFC 6962 tree shape recursively (the engine uses
the RFC 9162 loop), and pick is the linear definition (the engine uses a Fenwick tree).
Prints one line per failure and `N passed, M failed` at the end (`, K skipped` for the BLS
signature vectors, which need pairings); exits 1 on any failure.
"""

import hashlib
import json
import struct
import sys

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
        if ok:
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
