//! Reading a field's `copyOf` ([`crate::model::copies`]).

use super::{join, Obj, Reader};
use crate::model::CopyOf;

impl Reader {
    /// A field's `copyOf`: `{"entity": "User", "field": "name", "via": "authorId"}`.
    pub(super) fn copy_of(&mut self, map: &Obj, path: &str) -> Option<CopyOf> {
        let value = map.get("copyOf").filter(|v| !v.is_null())?;
        let at = join(path, "copyOf");
        let copy = self.object(value, &at, &["entity", "field", "via"])?;
        let entity = self.string(copy, "entity", &at);
        let field = self.string(copy, "field", &at);
        let via = self.string(copy, "via", &at);
        Some(CopyOf {
            entity: entity?,
            field: field?,
            via: via?,
        })
    }
}
