//! `fairdraw/v1` winners: for each prize, `r = uniform(W_remaining)`, `i = pick(weights, r)`;
//! then every ticket of the same `user_commit` gets weight 0 (one prize per member). Stops early
//! once no weight remains.

use super::fairdraw::Entry;
use super::{FairError, Fenwick, Hash, Stream, uniform};

/// Winning leaf indices, in prize order, for `k` prizes drawn from `seed`'s stream.
pub fn winners(seed: &Hash, entries: &[Entry], k: usize) -> Result<Vec<usize>, FairError> {
    let weights: Vec<u64> = entries.iter().map(|e| e.weight).collect();
    let mut tree = Fenwick::new(&weights)?;
    let mut stream = Stream::new(*seed);
    let mut members: Option<MemberIndex> = None;
    let mut out = Vec::with_capacity(k.min(entries.len()));
    for prize in 0..k {
        if tree.total() == 0 {
            break;
        }
        let r = uniform(&mut stream, tree.total())?;
        let i = tree.pick(r)?;
        out.push(i);
        if prize + 1 == k {
            break; // no later prize can be affected by zeroing
        }
        // Built on first need: a one-prize draw never pays for the sort.
        let index = members.get_or_insert_with(|| MemberIndex::new(entries));
        for j in index.tickets_of(entries, &entries[i].user_commit) {
            tree.set(j, 0)?;
        }
    }
    Ok(out)
}

/// Ticket indices sorted by the first 8 bytes of their `user_commit`, so a member's tickets
/// are found by binary search instead of a scan per prize.
struct MemberIndex(Vec<(u64, usize)>);

fn prefix(commit: &Hash) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&commit[..8]);
    u64::from_be_bytes(b)
}

impl MemberIndex {
    fn new(entries: &[Entry]) -> Self {
        let mut v: Vec<(u64, usize)> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (prefix(&e.user_commit), i))
            .collect();
        v.sort_unstable();
        Self(v)
    }

    /// All indices whose full `user_commit` equals `commit` (prefix ties are re-checked).
    fn tickets_of<'a>(
        &'a self,
        entries: &'a [Entry],
        commit: &'a Hash,
    ) -> impl Iterator<Item = usize> + 'a {
        let p = prefix(commit);
        let start = self.0.partition_point(|&(q, _)| q < p);
        self.0[start..]
            .iter()
            .take_while(move |&&(q, _)| q == p)
            .map(|&(_, i)| i)
            .filter(move |&i| &entries[i].user_commit == commit)
    }
}
