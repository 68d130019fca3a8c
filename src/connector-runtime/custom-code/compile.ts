/**
 * Compiles a connector's script.csx with Mono's C# compiler (mcs) against our own ScriptBase /
 * IScriptContext (csharp/ScriptBase.cs) and the host program (csharp/Host.cs), the way the Learn
 * page "Write code in a custom connector" says a script can be compiled locally. Errors come back
 * as file:line:column of the script. Builds are cached by content, so loading the same package
 * again costs nothing.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';
import { PackageError } from '../policies.js';

export const SCRIPT_FILE = 'script.csx';

/** Learn, "Write code", FAQ: "the size of your script file can't be more than 1 MB". */
const MAX_SCRIPT_BYTES = 1024 * 1024;

/**
 * Learn, "Write code", "Supported namespaces": the platform compiles a script with these in
 * scope, which is why certified scripts (SurveyMonkey) have no `using` lines.
 */
const SUPPORTED_NAMESPACES = [
  'System', 'System.Collections', 'System.Collections.Generic', 'System.Diagnostics', 'System.IO', 'System.IO.Compression',
  'System.Linq', 'System.Net', 'System.Net.Http', 'System.Net.Http.Headers', 'System.Net.Security', 'System.Security.Authentication',
  'System.Security.Cryptography', 'System.Text', 'System.Text.RegularExpressions', 'System.Threading', 'System.Threading.Tasks',
  'System.Web', 'System.Xml', 'System.Xml.Linq', 'System.Drawing', 'System.Drawing.Drawing2D', 'System.Drawing.Imaging',
  'Microsoft.Extensions.Logging', 'Newtonsoft.Json', 'Newtonsoft.Json.Linq',
];

/** Debian's Newtonsoft.Json (libnewtonsoft-json-cil-dev); the folder says 5.0, the assembly is 6.0. */
const NEWTONSOFT = '/usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll';
const ASSEMBLIES = ['System.Net.Http.dll', 'System.Web.dll', 'System.Xml.dll', 'System.Xml.Linq.dll', 'System.IO.Compression.dll', 'System.Drawing.dll', 'System.Core.dll', 'Microsoft.CSharp.dll'];

/** The Debian packages that give this machine what the custom-code host needs. */
const MONO_PACKAGES = 'mono-mcs mono-runtime libnewtonsoft-json-cil-dev libmono-system-net-http4.0-cil libmono-system-web4.0-cil libmono-system-io-compression4.0-cil libmono-system-drawing4.0-cil libmono-system-xml-linq4.0-cil libmono-microsoft-csharp4.0-cil';

const CSHARP_DIR = join(packageRoot(), 'src', 'connector-runtime', 'custom-code', 'csharp');

/** Bounds on the child processes (ours), so a compiler that hangs fails the load by name instead of hanging it. */
const VERSION_TIMEOUT_MS = 30_000;
const COMPILE_TIMEOUT_MS = 120_000;
const HOST_SOURCES = ['ScriptBase.cs', 'Host.cs'];

let monoChecked: string | false | undefined;

/** Why custom code cannot be compiled and run on this machine, or false when it can. */
export function missingMono(): string | false {
  if (monoChecked !== undefined) return monoChecked;
  const has = (cmd: string) => !spawnSync(cmd, ['--version'], { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS }).error;
  const missing = [!has('mcs') && 'mcs', !has('mono') && 'mono', !existsSync(NEWTONSOFT) && NEWTONSOFT].filter(Boolean);
  monoChecked = missing.length ? `Mono is needed to run the connector's custom code (${missing.join(', ')} not found); install it with: sudo apt-get install -y ${MONO_PACKAGES}` : false;
  return monoChecked;
}

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

/** A script that does not compile: every error as `file:line:column: error CSnnnn: message`. */
export class ScriptCompileError extends PackageError {
  constructor(
    file: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(file, 'custom code', undefined, 'does not compile');
    this.name = 'ScriptCompileError';
    this.message = `${file} does not compile with Mono's mcs:\n${diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`).join('\n')}`;
  }
}

export interface CompiledScript {
  /** The host program with the script in it, for `mono`. */
  executable: string;
  /** The folder holding Newtonsoft.Json for MONO_PATH. */
  monoPath: string;
  warnings: Diagnostic[];
}

const DIAGNOSTIC = /^(.*?)\((\d+),(\d+)\): (error|warning) (CS\d+): (.*)$/;

function parseDiagnostics(output: string, scriptFile: string, wrapper: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = DIAGNOSTIC.exec(line.trim());
    if (m) {
      const [, where, l, c, severity, code, message] = m;
      // Our own files only fail to compile against a script that breaks the Learn page's contract.
      const ours = HOST_SOURCES.some((f) => where!.endsWith(f)) || where === wrapper;
      found.push({
        file: scriptFile,
        line: ours ? 1 : Number(l),
        column: ours ? 1 : Number(c),
        severity: severity as Diagnostic['severity'],
        code: code!,
        message: ours ? `${message} (the host could not use the script: the Learn page requires a public class Script : ScriptBase with ExecuteAsync)` : message!,
      });
    } else if (/^error CS\d+:/.test(line.trim())) {
      const [, code, message] = /^error (CS\d+): (.*)$/.exec(line.trim())!;
      found.push({ file: scriptFile, line: 1, column: 1, severity: 'error', code: code!, message: message! });
    }
  }
  return found;
}

/** Refuses a script of 1 MB or more, naming the file. */
export function checkScriptSize(source: string, file = SCRIPT_FILE): void {
  const bytes = Buffer.byteLength(source.replace(/^\uFEFF/, ''));
  if (bytes >= MAX_SCRIPT_BYTES) throw new PackageError(file, 'custom code', undefined, `is ${bytes} bytes; custom code must be less than 1 MB (Learn, "Write code in a custom connector")`);
}

/**
 * Compiles `source` (the text of script.csx) into a host program, or throws ScriptCompileError.
 * `file` is the name errors carry (a corpus run passes the package folder's path).
 */
export function compileScript(source: string, file = SCRIPT_FILE, timeoutMs = COMPILE_TIMEOUT_MS): CompiledScript {
  const missing = missingMono();
  if (missing) throw new PackageError(file, 'custom code', undefined, missing);
  checkScriptSize(source, file);
  const text = source.replace(/^\uFEFF/, '');
  const hostSources = HOST_SOURCES.map((f) => readFileSync(join(CSHARP_DIR, f), 'utf8'));
  const wrapped = `${SUPPORTED_NAMESPACES.map((n) => `using ${n};`).join('\n')}\n#line 1 "${SCRIPT_FILE}"\n${text}\n`;
  const key = createHash('sha256').update(JSON.stringify([wrapped, hostSources, ASSEMBLIES])).digest('hex').slice(0, 32);
  const dir = join(tmpdir(), 'pcr-custom-code', key);
  const executable = join(dir, 'host.exe');
  const monoPath = join(NEWTONSOFT, '..');
  if (existsSync(executable)) return { executable, monoPath, warnings: [] };

  const work = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(work, { recursive: true });
  try {
    const wrapper = join(work, 'Script.cs');
    writeFileSync(wrapper, wrapped);
    const r = spawnSync(
      'mcs',
      ['-target:exe', '-langversion:Default', '-nowarn:105', `-out:${join(work, 'host.exe')}`, ...ASSEMBLIES.map((a) => `-r:${a}`), `-r:${NEWTONSOFT}`, ...HOST_SOURCES.map((f) => join(CSHARP_DIR, f)), wrapper],
      { encoding: 'utf8', cwd: work, timeout: timeoutMs, killSignal: 'SIGKILL' },
    );
    if (r.error) throw new PackageError(file, 'custom code', undefined, `could not be compiled: mcs ${(r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `did not finish within ${timeoutMs / 1000} seconds` : `failed to run (${r.error.message})`}`);
    const diagnostics = parseDiagnostics(`${r.stdout}\n${r.stderr}`, file, wrapper);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (r.status !== 0 || errors.length) {
      throw new ScriptCompileError(file, errors.length ? errors : [{ file, line: 1, column: 1, severity: 'error', code: 'mcs', message: `mcs exited with ${r.status}: ${r.stderr || r.stdout}` }]);
    }
    mkdirSync(join(dir, '..'), { recursive: true });
    try {
      renameSync(work, dir);
    } catch (err) {
      // Another process built the same script first: its result is the same.
      if (!existsSync(executable)) throw err;
    }
    return { executable, monoPath, warnings: diagnostics };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
