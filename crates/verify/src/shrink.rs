//! Delta debugging (Zeller's ddmin, complement-only): the shortest subsequence of steps that
//! still reproduces a divergence, trying to drop ever smaller chunks.

/// The smallest sublist of `items` (kept in order) for which `fails` still holds, trying at
/// most `budget` candidates. `items` must fail to begin with.
pub fn ddmin<T: Clone>(
    items: Vec<T>,
    budget: usize,
    fails: &mut dyn FnMut(&[T]) -> bool,
) -> Vec<T> {
    let mut items = items;
    let mut chunks = 2usize;
    let mut tries = 0usize;
    while items.len() >= 2 && tries < budget {
        let size = items.len().div_ceil(chunks);
        let mut reduced = false;
        let mut start = 0;
        while start < items.len() && tries < budget {
            let end = (start + size).min(items.len());
            let candidate: Vec<T> = items[..start]
                .iter()
                .chain(&items[end..])
                .cloned()
                .collect();
            tries += 1;
            if fails(&candidate) {
                items = candidate;
                chunks = (chunks - 1).max(2);
                reduced = true;
                break;
            }
            start = end;
        }
        if !reduced {
            if chunks >= items.len() {
                break;
            }
            chunks = (chunks * 2).min(items.len());
        }
    }
    // A last pass removing single items catches what chunking missed near the budget.
    let mut i = 0;
    while i < items.len() && tries < budget {
        let candidate: Vec<T> = items
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, x)| x.clone())
            .collect();
        tries += 1;
        if fails(&candidate) {
            items = candidate;
        } else {
            i += 1;
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_few_items_a_failure_needs() {
        let items: Vec<u32> = (0..100).collect();
        // Fails when 7, 42 and 93 are all present, in order.
        let mut fails = |c: &[u32]| [7, 42, 93].iter().all(|x| c.contains(x));
        assert_eq!(ddmin(items, 10_000, &mut fails), vec![7, 42, 93]);
    }

    #[test]
    fn the_budget_bounds_the_work() {
        let items: Vec<u32> = (0..100).collect();
        let mut calls = 0;
        let mut fails = |c: &[u32]| {
            calls += 1;
            c.contains(&5)
        };
        let out = ddmin(items, 10, &mut fails);
        assert!(out.contains(&5));
        assert_eq!(calls, 10);
    }
}
