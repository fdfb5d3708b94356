//! The packages a script may `import` or `require`: each maps to the host object that stands
//! for its module. One instance per run, so two imports share state (mongoose's models).
//!
//! To add a package, add a row to [`PACKAGES`]: its name and a function building its module
//! value (a host object whose `get` answers the package's named exports).

use std::any::Any;

use crate::builtins::Builtin;
use crate::host::{Cx, HostObject, Result, Thrown};
use crate::value::Value;

/// Builds a package's module value.
pub type ModuleBuilder = fn() -> Value;

/// The known packages and how to build each one's module.
pub const PACKAGES: &[(&str, ModuleBuilder)] = &[
    ("mongoose", crate::mongoose::module),
    ("mongodb", mongodb_module),
    ("@aws-sdk/client-dynamodb", crate::dynamo_sdk::client_module),
    ("@aws-sdk/lib-dynamodb", crate::dynamo_sdk::lib_module),
    ("@aws-sdk/util-dynamodb", crate::dynamo_sdk::util_module),
    ("aws-sdk", crate::aws_v2::module),
];

/// `import ... from 'name'` / `require('name')`: the module value.
pub fn import(source: &str, cx: &mut Cx) -> Result<Value> {
    if let Some(m) = cx.modules.get(source) {
        return Ok(m.clone());
    }
    let Some((_, build)) = PACKAGES.iter().find(|(n, _)| *n == source) else {
        let known: Vec<&str> = PACKAGES.iter().map(|(n, _)| *n).collect();
        return Err(Thrown::new(
            "Error",
            format!(
                "Cannot find package '{source}': the console knows {}",
                known.join(", ")
            ),
        ));
    };
    let m = build();
    cx.modules.insert(source.to_string(), m.clone());
    Ok(m)
}

/// A named export of a module (`default` is the module itself, as for CommonJS packages).
pub fn export(module: &Value, name: &str, cx: &mut Cx) -> Option<Value> {
    if name == "default" {
        return Some(module.clone());
    }
    match module {
        Value::Host(h) => h.get(name, cx).and_then(|r| r.ok()),
        Value::Object(_) => module.get_prop(name).cloned(),
        _ => None,
    }
}

fn mongodb_module() -> Value {
    Value::host(MongodbModule)
}

/// The `mongodb` package: `MongoClient` and the BSON classes.
#[derive(Debug)]
struct MongodbModule;

impl HostObject for MongodbModule {
    fn class(&self) -> &str {
        "mongodb"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn get(&self, name: &str, _cx: &mut Cx) -> Option<Result<Value>> {
        Some(Ok(match name {
            "MongoClient" => Value::host(MongoClient { connected: false }),
            "ObjectId" => Value::host(Builtin::ObjectId),
            "Decimal128" => Value::host(Builtin::NumberDecimal),
            "Long" => Value::host(Builtin::NumberLong),
            "Int32" => Value::host(Builtin::NumberInt),
            "UUID" => Value::host(Builtin::Uuid),
            _ => return None,
        }))
    }
}

/// `new MongoClient(uri)`: connects to the simulator whatever the URI says.
#[derive(Debug)]
struct MongoClient {
    connected: bool,
}

impl HostObject for MongoClient {
    fn class(&self) -> &str {
        "MongoClient"
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn is_callable(&self) -> bool {
        !self.connected
    }

    fn construct(&self, _args: Vec<Value>, _cx: &mut Cx) -> Option<Result<Value>> {
        (!self.connected).then(|| Ok(Value::host(MongoClient { connected: true })))
    }

    fn call_method(&self, name: &str, args: Vec<Value>, cx: &mut Cx) -> Option<Result<Value>> {
        if !self.connected {
            return match name {
                "connect" => Some(Ok(Value::host(MongoClient { connected: true }))),
                _ => None,
            };
        }
        Some(match name {
            "connect" => Ok(Value::host(MongoClient { connected: true })),
            "close" => Ok(Value::Undefined),
            "startSession" => Ok(crate::session::Session::value(false)),
            "db" => match args.first() {
                None | Some(Value::Undefined) => Ok(crate::mongosh::driver_db()),
                Some(Value::String(s)) if &**s == cx.host.mongo.name() => {
                    Ok(crate::mongosh::driver_db())
                }
                Some(other) => Err(Thrown::unsupported(format!(
                    "the playground has one database, '{}': client.db({}) cannot reach another",
                    cx.host.mongo.name(),
                    other.to_js_string()
                ))),
            },
            _ => return None,
        })
    }
}
