#!/usr/bin/env node
/*
 * A stand-in for Pulumi's `pulumi-language-nodejs` plugin, for this repository's tests only.
 *
 * The real plugin is a Go module that the Go module proxy reachable here does not serve, so
 * scripts/pulumi-cli.sh installs this file under that name beside the CLI it builds. It does what
 * the real one does for `up`, `preview`, `refresh` and `destroy`: the engine starts it with the
 * engine's address as the last argument, in the program's folder; it prints the port of its
 * LanguageRuntime gRPC server; and each Run starts `node @pulumi/pulumi/cmd/run` from the program's
 * own node_modules with the same flags and environment the real plugin passes, so ts-node, config,
 * secrets and exit codes behave as they do for users. It does not proxy the resource monitor or
 * set up the sync pipes (the SDK works without them), and it reports no plugins, dependencies or
 * `pulumi about` details: the programs here need no provider plugins.
 */
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");

const PLUGIN_VERSION = "0.0.0-pulumi-truto-access";
// The SDK's code for "the program already reported its error; do not print another" (cmd/run).
const EXIT_AFTER_USER_MESSAGE = 32;

const engineAddress = process.argv[process.argv.length - 1];
const fromProgram = (request) => require.resolve(request, { paths: [process.cwd()] });
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(fromProgram("@pulumi/pulumi/package.json"))] }));
const services = require(fromProgram("@pulumi/pulumi/proto/language_grpc_pb.js"));
const language = require(fromProgram("@pulumi/pulumi/proto/language_pb.js"));
const plugin = require(fromProgram("@pulumi/pulumi/proto/plugin_pb.js"));

/** The engine's config keys are `pkg:name`; the SDK reads them as `pkg:config:name`, as the real plugin passes them. */
function configJson(request) {
  const out = {};
  for (const [key, value] of request.getConfigMap().entries()) {
    const at = key.indexOf(":");
    out[at < 0 ? key : `${key.slice(0, at)}:config:${key.slice(at + 1)}`] = value;
  }
  return JSON.stringify(out);
}

function runArguments(request, programDir) {
  const args = [fromProgram("@pulumi/pulumi/cmd/run")];
  const flag = (name, value) => {
    if (value !== undefined && value !== "") args.push(`--${name}`, String(value));
  };
  const info = request.getInfo();
  flag("monitor", request.getMonitorAddress());
  flag("engine", engineAddress);
  flag("organization", request.getOrganization());
  flag("project", request.getProject());
  flag("root-directory", info ? info.getRootDirectory() : "");
  flag("stack", request.getStack());
  flag("pwd", programDir);
  if (request.getDryrun()) args.push("--dry-run");
  flag("parallel", request.getParallel());
  args.push(info && info.getEntryPoint() ? info.getEntryPoint() : request.getProgram() || ".");
  args.push(...request.getArgsList());
  return args;
}

function run(call, callback) {
  const request = call.request;
  const info = request.getInfo();
  const programDir = (info && info.getProgramDirectory()) || request.getPwd() || process.cwd();
  const env = {
    ...process.env,
    PULUMI_CONFIG: configJson(request),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.getConfigsecretkeysList()),
  };
  const options = info && info.getOptions() ? info.getOptions().toJavaScript() : {};
  if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = String(options.tsconfig);

  const child = spawn(process.execPath, runArguments(request, programDir), {
    cwd: programDir,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("error", (error) => {
    const response = new language.RunResponse();
    response.setError(`could not start node for the program: ${error.message}`);
    callback(null, response);
  });
  child.on("exit", (code, signal) => {
    const response = new language.RunResponse();
    if (code === EXIT_AFTER_USER_MESSAGE) response.setBail(true);
    else if (code !== 0) response.setError(signal ? `the program was killed by ${signal}` : `the program exited with code ${code}`);
    callback(null, response);
  });
}

const answer = (make) => (_call, callback) => callback(null, make());

const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
server.addService(services.LanguageRuntimeService, {
  handshake: answer(() => new language.LanguageHandshakeResponse()),
  getRequiredPlugins: answer(() => new language.GetRequiredPluginsResponse()),
  getRequiredPackages: answer(() => new language.GetRequiredPackagesResponse()),
  getPluginInfo: answer(() => {
    const info = new plugin.PluginInfo();
    info.setVersion(PLUGIN_VERSION);
    return info;
  }),
  getProgramDependencies: answer(() => new language.GetProgramDependenciesResponse()),
  runtimeOptionsPrompts: answer(() => new language.RuntimeOptionsResponse()),
  run,
});
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    process.stderr.write(`pulumi-language-nodejs stand-in: could not listen on 127.0.0.1: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${port}\n`);
});
