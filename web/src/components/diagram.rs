//! The design as an SVG diagram: a box per entity with its fields, an edge per relationship
//! labelled with its cardinality. Boxes are laid out automatically until the user drags them
//! (with the pointer, or with the arrow keys when a box has focus); positions are kept in the
//! design.

use std::rc::Rc;

use std::collections::BTreeMap;

use schemaplay_core::model::{Design, Entity, Position, Relationship};
use web_sys::Element;
use yew::prelude::*;

use crate::state::Action;

const BOX_WIDTH: f64 = 210.0;
const HEADER: f64 = 30.0;
const ROW: f64 = 19.0;
const GAP_X: f64 = 90.0;
const GAP_Y: f64 = 70.0;
const MARGIN: f64 = 24.0;
/// Boxes list at most this many fields; the rest are summarised.
const MAX_ROWS: usize = 12;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub design: Rc<Design>,
    pub on_action: Callback<Action>,
}

/// A drag in progress: which entity, and where the pointer grabbed it.
#[derive(Clone, PartialEq)]
struct Drag {
    entity: String,
    grab: (f64, f64),
    at: Position,
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let design = &props.design;
    let drag = use_state(|| None::<Drag>);
    let svg = use_node_ref();
    let mut positions = layout(design);
    if let Some(d) = &*drag {
        positions.insert(d.entity.clone(), d.at);
    }
    let width = positions
        .values()
        .map(|p| p.x + BOX_WIDTH + MARGIN)
        .fold(600.0, f64::max);
    let height = design
        .entities
        .iter()
        .filter_map(|e| positions.get(&e.name).map(|p| p.y + height_of(e) + MARGIN))
        .fold(300.0, f64::max);

    let onpointermove = {
        let drag = drag.clone();
        let svg = svg.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some(d) = &*drag {
                let (x, y) = pointer_at(&svg, &e);
                let at = Position {
                    x: (x - d.grab.0).max(0.0).round(),
                    y: (y - d.grab.1).max(0.0).round(),
                };
                drag.set(Some(Drag { at, ..d.clone() }));
            }
        })
    };
    let finish = {
        let drag = drag.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |_: PointerEvent| {
            if let Some(d) = &*drag {
                on_action.emit(Action::SetPosition {
                    entity: d.entity.clone(),
                    position: d.at,
                });
            }
            drag.set(None);
        })
    };

    let edges = design
        .relationships
        .iter()
        .enumerate()
        .filter_map(|(i, r)| edge(design, &positions, i, r));
    let boxes = design.entities.iter().filter_map(|e| {
        let p = *positions.get(&e.name)?;
        Some(entity_box(e, p, &drag, &svg, &props.on_action))
    });
    let reset = props.on_action.reform(|_| Action::ClearPositions);
    html! {
        <section class="card diagram" aria-labelledby="diagram-title">
            <div class="card-head">
                <h3 id="diagram-title">{ "Diagram" }</h3>
                <span class="hint">{ "Drag a box, or focus it and use the arrow keys. Positions are saved with the design." }</span>
                <span class="grow" />
                <button class="small" onclick={reset} disabled={design.positions.is_empty()}>{ "Auto layout" }</button>
            </div>
            if design.entities.is_empty() {
                <p class="empty">{ "Add entities in the Design view to see them here." }</p>
            } else {
                <div class="diagram-scroll">
                    <svg ref={svg.clone()} width={width.to_string()} height={height.to_string()} data-testid="diagram"
                        role="img" aria-label={format!("Diagram of {} entities and {} relationships", design.entities.len(), design.relationships.len())}
                        {onpointermove} onpointerup={finish.clone()} onpointercancel={finish}>
                        <defs>
                            <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                                <path d="M 0 0 L 10 5 L 0 10 z" />
                            </marker>
                        </defs>
                        { for edges }
                        { for boxes }
                    </svg>
                </div>
            }
        </section>
    }
}

/// The height of an entity's box: its header and a row per listed field.
fn height_of(e: &Entity) -> f64 {
    HEADER + ROW * (e.fields.len().min(MAX_ROWS + 1) as f64) + 8.0
}

/// Where a pointer event is, in the coordinates of the diagram's SVG.
fn pointer_at(svg: &NodeRef, e: &PointerEvent) -> (f64, f64) {
    match svg.cast::<Element>() {
        Some(el) => {
            let r = el.get_bounding_client_rect();
            (
                f64::from(e.client_x()) - r.left(),
                f64::from(e.client_y()) - r.top(),
            )
        }
        None => (0.0, 0.0),
    }
}

/// Relationship `i` as a line between the edges of its boxes, labelled with its cardinality.
fn edge(
    design: &Design,
    positions: &BTreeMap<String, Position>,
    i: usize,
    r: &Relationship,
) -> Option<Html> {
    let (from, to) = (positions.get(&r.from)?, positions.get(&r.to)?);
    let (fe, te) = (design.entity(&r.from)?, design.entity(&r.to)?);
    let a = (from.x + BOX_WIDTH / 2.0, from.y + height_of(fe) / 2.0);
    let b = (to.x + BOX_WIDTH / 2.0, to.y + height_of(te) / 2.0);
    let a = clip(a, b, BOX_WIDTH / 2.0, height_of(fe) / 2.0);
    let b = clip(b, a, BOX_WIDTH / 2.0, height_of(te) / 2.0);
    let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let label = format!("{} (~{})", r.cardinality.phrase(), r.expected_count);
    Some(html! {
        <g class="edge" data-testid={format!("edge-{i}")}>
            <line x1={a.0.to_string()} y1={a.1.to_string()} x2={b.0.to_string()} y2={b.1.to_string()}
                marker-end="url(#arrow)" />
            <text class="edge-label" x={mid.0.to_string()} y={(mid.1 - 6.0).to_string()} text-anchor="middle">{ label }</text>
        </g>
    })
}

/// An entity's box at `p`: dragged with the pointer, moved with the arrow keys.
fn entity_box(
    e: &Entity,
    p: Position,
    drag: &UseStateHandle<Option<Drag>>,
    svg: &NodeRef,
    on_action: &Callback<Action>,
) -> Html {
    let onpointerdown = {
        let drag = drag.clone();
        let svg = svg.clone();
        let name = e.name.clone();
        Callback::from(move |ev: PointerEvent| {
            let (x, y) = pointer_at(&svg, &ev);
            if let Some(target) = ev.target_dyn_into::<Element>() {
                let _ = target.set_pointer_capture(ev.pointer_id());
            }
            drag.set(Some(Drag {
                entity: name.clone(),
                grab: (x - p.x, y - p.y),
                at: p,
            }));
        })
    };
    let onkeydown = {
        let on_action = on_action.clone();
        let name = e.name.clone();
        Callback::from(move |ev: KeyboardEvent| {
            let step = if ev.shift_key() { 50.0 } else { 10.0 };
            let (dx, dy) = match ev.key().as_str() {
                "ArrowLeft" => (-step, 0.0),
                "ArrowRight" => (step, 0.0),
                "ArrowUp" => (0.0, -step),
                "ArrowDown" => (0.0, step),
                _ => return,
            };
            ev.prevent_default();
            on_action.emit(Action::SetPosition {
                entity: name.clone(),
                position: Position {
                    x: (p.x + dx).max(0.0),
                    y: (p.y + dy).max(0.0),
                },
            });
        })
    };
    html! {
        <g class="entity-box" tabindex="0" role="button" data-testid={format!("box-{}", e.name)}
            aria-label={format!("Entity {} with {} fields; drag or use the arrow keys to move it", e.name, e.fields.len())}
            {onpointerdown} {onkeydown}>
            <rect x={p.x.to_string()} y={p.y.to_string()} width={BOX_WIDTH.to_string()} height={height_of(e).to_string()} rx="6" />
            <rect class="head" x={p.x.to_string()} y={p.y.to_string()} width={BOX_WIDTH.to_string()} height={HEADER.to_string()} rx="6" />
            <text class="title" x={(p.x + 10.0).to_string()} y={(p.y + 20.0).to_string()}>{ e.name.clone() }</text>
            <text class="type" x={(p.x + BOX_WIDTH - 10.0).to_string()} y={(p.y + 20.0).to_string()} text-anchor="end">
                { format!("~{}", schemaplay_core::numbers::grouped(e.volume)) }</text>
            { field_rows(e, p) }
        </g>
    }
}

/// The fields listed in an entity's box (at most [`MAX_ROWS`], then how many more).
fn field_rows(e: &Entity, p: Position) -> Html {
    let rows = e.fields.iter().take(MAX_ROWS).enumerate().map(|(i, f)| {
        let y = p.y + HEADER + ROW * (i as f64) + 14.0;
        let mark = if f.required { "" } else { "?" };
        html! {
            <>
                <text class="field" x={(p.x + 10.0).to_string()} y={y.to_string()}>{ format!("{}{mark}", f.name) }</text>
                <text class="type" x={(p.x + BOX_WIDTH - 10.0).to_string()} y={y.to_string()} text-anchor="end">{ f.ty.to_string() }</text>
            </>
        }
    });
    let more = (e.fields.len() > MAX_ROWS).then(|| html! {
        <text class="type" x={(p.x + 10.0).to_string()} y={(p.y + HEADER + ROW * MAX_ROWS as f64 + 14.0).to_string()}>
            { format!("… {} more", e.fields.len() - MAX_ROWS) }</text>
    });
    html! { <>{ for rows }{ more }</> }
}

/// Where every entity's box goes: its saved position, else a place in layers, parents above
/// their children.
fn layout(design: &Design) -> BTreeMap<String, Position> {
    let mut depth: BTreeMap<&str, usize> = design
        .entities
        .iter()
        .map(|e| (e.name.as_str(), 0))
        .collect();
    // Longest-path layering, bounded by the entity count so cycles end.
    for _ in 0..design.entities.len() {
        let mut changed = false;
        for r in &design.relationships {
            if r.from == r.to {
                continue;
            }
            let from = depth.get(r.from.as_str()).copied().unwrap_or(0);
            if let Some(d) = depth.get_mut(r.to.as_str()) {
                if *d < from + 1 && from + 1 < design.entities.len() {
                    *d = from + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut per_layer: BTreeMap<usize, usize> = BTreeMap::new();
    let mut row_height: BTreeMap<usize, f64> = BTreeMap::new();
    for e in &design.entities {
        let layer = depth.get(e.name.as_str()).copied().unwrap_or(0);
        let h = HEADER + ROW * (e.fields.len().min(MAX_ROWS + 1) as f64) + 8.0;
        let tallest = row_height.entry(layer).or_insert(0.0);
        *tallest = tallest.max(h);
    }
    let mut out = BTreeMap::new();
    for e in &design.entities {
        if let Some(p) = design.positions.get(&e.name) {
            out.insert(e.name.clone(), *p);
            continue;
        }
        let layer = depth.get(e.name.as_str()).copied().unwrap_or(0);
        let column = per_layer.entry(layer).or_insert(0);
        let y = MARGIN
            + row_height
                .range(..layer)
                .map(|(_, h)| h + GAP_Y)
                .sum::<f64>();
        let x = MARGIN + (*column as f64) * (BOX_WIDTH + GAP_X);
        *column += 1;
        out.insert(e.name.clone(), Position { x, y });
    }
    out
}

/// The point where the segment from the centre `c` towards `to` leaves a box of the given half
/// sizes.
fn clip(c: (f64, f64), to: (f64, f64), hw: f64, hh: f64) -> (f64, f64) {
    let (dx, dy) = (to.0 - c.0, to.1 - c.1);
    if dx == 0.0 && dy == 0.0 {
        return c;
    }
    let t = (hw / dx.abs()).min(hh / dy.abs());
    (c.0 + dx * t.min(1.0), c.1 + dy * t.min(1.0))
}
