//! `pick(weights, r)`: the smallest index `i` with `weights[0] + … + weights[i] > r`.
//! [`pick`] is the linear definition; [`Fenwick`] gives the same answer in O(log n) and lets a
//! draw set a winner's weights to zero between prizes.

use super::FairError;

/// Sum of weights, refusing overflow (`uniform` takes a u64 range).
pub fn total_weight(weights: &[u64]) -> Result<u64, FairError> {
    weights
        .iter()
        .try_fold(0u64, |acc, &w| acc.checked_add(w))
        .ok_or(FairError::WeightOverflow)
}

/// The linear definition of `pick`; `r` must be below the total weight.
pub fn pick(weights: &[u64], r: u64) -> Result<usize, FairError> {
    let mut acc: u64 = 0;
    for (i, &w) in weights.iter().enumerate() {
        acc = acc.checked_add(w).ok_or(FairError::WeightOverflow)?;
        if acc > r {
            return Ok(i);
        }
    }
    Err(FairError::PickOutOfRange { r, total: acc })
}

/// A Fenwick (binary indexed) tree over non-negative weights with a total that fits in u64.
#[derive(Debug, Clone)]
pub struct Fenwick {
    /// `tree[i]` (1-based) holds the sum of the `i & i.wrapping_neg()` weights ending at `i`.
    tree: Vec<u64>,
    weights: Vec<u64>,
    total: u64,
}

impl Fenwick {
    /// Builds the tree in O(n).
    pub fn new(weights: &[u64]) -> Result<Self, FairError> {
        let total = total_weight(weights)?;
        let n = weights.len();
        let mut tree = vec![0u64; n + 1];
        for i in 1..=n {
            // Every partial sum is at most `total`, so these additions cannot overflow.
            tree[i] += weights[i - 1];
            let parent = i + (i & i.wrapping_neg());
            if parent <= n {
                tree[parent] += tree[i];
            }
        }
        Ok(Self {
            tree,
            weights: weights.to_vec(),
            total,
        })
    }

    /// Number of weights.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True when there are no weights.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Current sum of all weights.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Current weight at `index`.
    pub fn weight(&self, index: usize) -> Option<u64> {
        self.weights.get(index).copied()
    }

    /// Sets the weight at `index` (a draw sets winners' tickets to 0).
    pub fn set(&mut self, index: usize, weight: u64) -> Result<(), FairError> {
        let len = self.weights.len();
        let old = *self
            .weights
            .get(index)
            .ok_or(FairError::IndexOutOfRange { index, len })?;
        let raise = weight >= old;
        let delta = if raise { weight - old } else { old - weight };
        let total = if raise {
            self.total.checked_add(delta)
        } else {
            Some(self.total - delta)
        };
        self.total = total.ok_or(FairError::WeightOverflow)?;
        self.weights[index] = weight;
        // Nodes only hold partial sums of the new weights, all bounded by the new total.
        let mut i = index + 1;
        while i <= len {
            if raise {
                self.tree[i] += delta;
            } else {
                self.tree[i] -= delta;
            }
            i += i & i.wrapping_neg();
        }
        Ok(())
    }

    /// `pick(weights, r)` in O(log n); `r` must be below [`Fenwick::total`].
    pub fn pick(&self, r: u64) -> Result<usize, FairError> {
        if r >= self.total {
            return Err(FairError::PickOutOfRange {
                r,
                total: self.total,
            });
        }
        let n = self.weights.len();
        // Descend from the highest power of two: `pos` ends as the largest prefix with sum <= r,
        // so the answer is the next index (0-based: `pos`).
        let mut pos = 0usize;
        let mut rem = r;
        let mut step = if n == 0 {
            0
        } else {
            1usize << (usize::BITS - 1 - n.leading_zeros())
        };
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rem {
                pos = next;
                rem -= self.tree[next];
            }
            step >>= 1;
        }
        Ok(pos)
    }
}
