//! An aggregate pattern's grouping: "grouped by profile.city, computing count as count, sum of
//! balance as total, sorted by total descending, first 10 groups". The group keys are typed
//! as dotted paths separated by commas; each output is an op, the field it reads (none for a
//! count) and its name; the sort offers the group keys and the outputs. Shown for aggregate
//! patterns (and for another kind still holding a block, so it can be removed). Core checks
//! what is typed (`model::aggregate`); its findings show under the pattern.

use schemaplay_core::model::{
    AccessPattern, Aggregate, AggregateOp, AggregateSpec, PatternKind, SortOrder, SortSpec,
};
use yew::prelude::*;

use super::{enum_name, input_value, parse_enum, select};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct AggregateFormProps {
    /// The pattern's position in the design.
    pub index: usize,
    pub pattern: AccessPattern,
    pub on_action: Callback<Action>,
}

/// Whether [`AggregateForm`] shows anything for `p`: an aggregate's grouping, or one left from
/// an aggregate. The sentence renders the component only then (see `patterns.rs`).
pub fn shows(p: &AccessPattern) -> bool {
    p.kind == PatternKind::Aggregate || p.aggregate.is_some()
}

#[function_component(AggregateForm)]
pub fn aggregate_form(props: &AggregateFormProps) -> Html {
    let p = &props.pattern;
    if !shows(p) {
        return html! {};
    }
    let id = format!("pattern-{}-aggregate", props.index);
    let spec = p.aggregate.clone().unwrap_or_default();
    // Every edit: the pattern with its block changed, sent whole.
    let edit = |change: fn(&mut AccessPattern, String)| {
        let (pattern, index, on_action) = (p.clone(), props.index, props.on_action.clone());
        Callback::from(move |value: String| {
            let mut pattern = pattern.clone();
            change(&mut pattern, value);
            on_action.emit(Action::SetPattern { index, pattern });
        })
    };
    let on_input = |change: fn(&mut AccessPattern, String)| {
        let set = edit(change);
        Callback::from(move |e: Event| set.emit(input_value(&e)))
    };
    let ops: Vec<(String, String)> = AggregateOp::NAMES
        .iter()
        .map(|n| (n.to_string(), n.to_string()))
        .collect();
    let outputs = spec.aggregates.iter().enumerate().map(|(i, a)| {
        let (pattern, index, on_action) = (p.clone(), props.index, props.on_action.clone());
        let output = move |change: Box<dyn Fn(&mut Aggregate)>| {
            let mut pattern = pattern.clone();
            if let Some(a) = block(&mut pattern).aggregates.get_mut(i) {
                change(a);
            }
            block(&mut pattern);
            on_action.emit(Action::SetPattern { index, pattern });
        };
        let set_op = {
            let output = output.clone();
            Callback::from(move |v: String| {
                let op = parse_enum::<AggregateOp>(&v);
                output(Box::new(move |a: &mut Aggregate| {
                    if let Some(op) = op {
                        a.op = op;
                        if !op.reads_field() {
                            a.field = None;
                        }
                    }
                }))
            })
        };
        let set_field = {
            let output = output.clone();
            Callback::from(move |e: Event| {
                let v = input_value(&e).trim().to_string();
                output(Box::new(move |a: &mut Aggregate| {
                    a.field = Some(v.clone()).filter(|f| !f.is_empty())
                }))
            })
        };
        let set_name = {
            let output = output.clone();
            Callback::from(move |e: Event| {
                let v = input_value(&e).trim().to_string();
                output(Box::new(move |a: &mut Aggregate| a.output = v.clone()))
            })
        };
        let remove = {
            let output = output.clone();
            Callback::from(move |_: MouseEvent| {
                output(Box::new(|a: &mut Aggregate| a.output = REMOVED.to_string()))
            })
        };
        html! {
            <span class="aggregate-output" data-testid={format!("{id}-output-{i}")}>
                { if i == 0 { " computing " } else { ", " } }
                { select("Aggregate op", format!("{id}-op-{i}"), &ops, &enum_name(&a.op), set_op) }
                if a.op.reads_field() {
                    { " of " }
                    <input class="short" value={a.field.clone().unwrap_or_default()} placeholder="field"
                        aria-label="Field the op reads" data-testid={format!("{id}-field-{i}")} onchange={set_field} />
                }
                { " as " }
                <input class="short" value={a.output.clone()} placeholder="name"
                    aria-label="Output name" data-testid={format!("{id}-as-{i}")} onchange={set_name} />
                <button class="icon danger" aria-label={format!("Remove output {}", a.output)} onclick={remove}>{ "✕" }</button>
            </span>
        }
    });
    let add = {
        let set = edit(|p, _| {
            let spec = block(p);
            let n = spec.aggregates.len();
            spec.aggregates.push(Aggregate {
                op: AggregateOp::Count,
                field: None,
                output: if n == 0 {
                    "count".to_string()
                } else {
                    format!("count{}", n + 1)
                },
            });
        });
        Callback::from(move |_: MouseEvent| set.emit(String::new()))
    };
    let mut sorts = vec![(String::new(), "unsorted".to_string())];
    sorts.extend(
        spec.group_by
            .iter()
            .map(|k| (k.clone(), format!("sorted by {k}"))),
    );
    sorts.extend(
        spec.aggregates
            .iter()
            .map(|a| (a.output.clone(), format!("sorted by {}", a.output))),
    );
    let sort = p.sort.as_ref().map(|s| s.field.clone()).unwrap_or_default();
    let orders = vec![
        ("asc".to_string(), "ascending".to_string()),
        ("desc".to_string(), "descending".to_string()),
    ];
    let order = p
        .sort
        .as_ref()
        .map(|s| enum_name(&s.order))
        .unwrap_or_default();
    html! {
        <span class="pattern-aggregate" data-testid={id.clone()}>
            { ", grouped by " }
            <input value={spec.group_by.join(", ")} placeholder="all items (no group key)"
                aria-label="Group by fields (comma-separated, dotted paths allowed)"
                data-testid={format!("{id}-group-by")}
                onchange={on_input(|p, v| {
                    block(p).group_by = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
                })} />
            { for outputs }
            { " " }
            <button class="secondary" data-testid={format!("{id}-add")} onclick={add}>{ "+ output" }</button>
            { ", " }
            { select("Sort groups by", format!("{id}-sort"), &sorts, &sort, edit(|p, v| {
                p.sort = Some(v).filter(|v| !v.is_empty()).map(|field| SortSpec {
                    field,
                    order: p.sort.as_ref().map(|s| s.order).unwrap_or(SortOrder::Desc),
                });
            })) }
            if p.sort.is_some() {
                { " " }
                { select("Group sort order", format!("{id}-order"), &orders, &order, edit(|p, v| {
                    if let (Some(s), Some(o)) = (p.sort.as_mut(), parse_enum(&v)) { s.order = o }
                })) }
            }
            { ", " }
            <input type="number" min="1" class="num" value={spec.limit.map(|n| n.to_string()).unwrap_or_default()}
                placeholder="all" aria-label="Groups returned at most" data-testid={format!("{id}-limit")}
                onchange={on_input(|p, v| block(p).limit = v.trim().parse().ok().filter(|n| *n > 0))} />
            { " groups" }
        </span>
    }
}

/// The name an output is given to be removed by [`block`].
const REMOVED: &str = "\u{0}removed";

/// The pattern's aggregate block, made when missing, with outputs marked removed taken out.
fn block(p: &mut AccessPattern) -> &mut AggregateSpec {
    let spec = p.aggregate.get_or_insert_with(AggregateSpec::default);
    spec.aggregates.retain(|a| a.output != REMOVED);
    spec
}
