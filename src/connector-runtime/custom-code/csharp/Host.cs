// The process that runs a connector's script for the connector runtime (custom-code/host.ts).
// One JSON message per line on stdin and stdout:
//   in:  execute {id, operationId, correlationId, originalRequestUri, connectorBaseUri, timeoutMs, request}
//        sendResult {id, sendId, response | error}    cancel {id}
//   out: ready    send {id, sendId, request}    cancelSend {id, sendId}    log {id, level, message}
//        result {id, response | error}
// Requests and responses are {method?, uri?, status?, reason?, headers: {name: value}, body: base64 | null}.
// Context.SendAsync does not call the network: it hands the request back to the runtime, which
// sends it the way the platform does (policies, token, call limit) and returns the answer.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

internal static class CustomCodeHost
{
    private static readonly object WriteLock = new object();
    private static TextWriter protocol;
    private static readonly ConcurrentDictionary<string, TaskCompletionSource<JObject>> PendingSends = new ConcurrentDictionary<string, TaskCompletionSource<JObject>>();
    private static readonly ConcurrentDictionary<long, CancellationTokenSource> Executions = new ConcurrentDictionary<long, CancellationTokenSource>();
    private static long nextSendId;

    // Headers that belong to HttpContent rather than to the message in System.Net.Http.
    private static readonly HashSet<string> ContentHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length",
        "Content-Location", "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    internal static int Main()
    {
        protocol = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        // A script's Console output must not corrupt the protocol.
        Console.SetOut(Console.Error);
        var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        Write(new JObject { ["type"] = "ready" });
        string line;
        while ((line = input.ReadLine()) != null)
        {
            if (line.Length == 0) continue;
            var message = JObject.Parse(line);
            var type = (string)message["type"];
            if (type == "execute")
            {
                Task.Run(() => Execute(message));
            }
            else if (type == "sendResult")
            {
                TaskCompletionSource<JObject> pending;
                if (PendingSends.TryRemove(SendKey((long)message["id"], (long)message["sendId"]), out pending)) pending.TrySetResult(message);
            }
            else if (type == "cancel")
            {
                CancellationTokenSource cts;
                if (Executions.TryGetValue((long)message["id"], out cts)) cts.Cancel();
            }
        }
        return 0;
    }

    internal static void Write(JObject message)
    {
        var text = message.ToString(Formatting.None);
        lock (WriteLock) protocol.WriteLine(text);
    }

    private static string SendKey(long id, long sendId)
    {
        return id + ":" + sendId;
    }

    private static async Task Execute(JObject message)
    {
        long id = (long)message["id"];
        var cts = new CancellationTokenSource();
        cts.CancelAfter((int)message["timeoutMs"]);
        Executions[id] = cts;
        try
        {
            var request = ToRequest((JObject)message["request"]);
            var script = new Script();
            script.Context = new HostContext(id, message, request);
            script.CancellationToken = cts.Token;
            var response = await script.ExecuteAsync().ConfigureAwait(false);
            if (response == null) throw new InvalidOperationException("ExecuteAsync returned null instead of an HttpResponseMessage.");
            Write(new JObject { ["type"] = "result", ["id"] = id, ["response"] = await FromResponse(response).ConfigureAwait(false) });
        }
        catch (Exception e)
        {
            Write(new JObject { ["type"] = "result", ["id"] = id, ["error"] = e.ToString() });
        }
        finally
        {
            CancellationTokenSource removed;
            Executions.TryRemove(id, out removed);
        }
    }

    internal static async Task<HttpResponseMessage> Send(long id, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request == null) throw new ArgumentNullException("request");
        cancellationToken.ThrowIfCancellationRequested();
        long sendId = Interlocked.Increment(ref nextSendId);
        var key = SendKey(id, sendId);
        var pending = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        PendingSends[key] = pending;
        var body = request.Content == null ? null : await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var headers = HeadersOf(request.Headers, request.Content == null ? null : request.Content.Headers);
        Write(new JObject
        {
            ["type"] = "send",
            ["id"] = id,
            ["sendId"] = sendId,
            ["request"] = new JObject
            {
                ["method"] = request.Method.Method,
                ["uri"] = request.RequestUri == null ? null : request.RequestUri.AbsoluteUri,
                ["headers"] = headers,
                ["body"] = body == null ? null : Convert.ToBase64String(body),
            },
        });
        JObject reply;
        using (cancellationToken.Register(() =>
        {
            TaskCompletionSource<JObject> removed;
            if (PendingSends.TryRemove(key, out removed) && removed.TrySetCanceled())
                Write(new JObject { ["type"] = "cancelSend", ["id"] = id, ["sendId"] = sendId });
        }))
        {
            reply = await pending.Task.ConfigureAwait(false);
        }
        if (reply["error"] != null && reply["error"].Type != JTokenType.Null) throw new HttpRequestException((string)reply["error"]);
        return ToResponse((JObject)reply["response"], request);
    }

    private static JObject HeadersOf(HttpHeaders headers, HttpHeaders content)
    {
        var result = new JObject();
        foreach (var set in new[] { headers, content })
        {
            if (set == null) continue;
            foreach (var header in set) result[header.Key] = string.Join(", ", header.Value);
        }
        return result;
    }

    private static HttpContent ContentOf(JObject message)
    {
        var body = message["body"];
        return new ByteArrayContent(body == null || body.Type == JTokenType.Null ? new byte[0] : Convert.FromBase64String((string)body));
    }

    private static HttpRequestMessage ToRequest(JObject message)
    {
        var request = new HttpRequestMessage(new HttpMethod((string)message["method"]), new Uri((string)message["uri"]));
        var hasBody = message["body"] != null && message["body"].Type != JTokenType.Null;
        if (hasBody) request.Content = ContentOf(message);
        foreach (var header in (JObject)message["headers"])
        {
            var value = (string)header.Value;
            if (ContentHeaders.Contains(header.Key))
            {
                if (request.Content != null) request.Content.Headers.TryAddWithoutValidation(header.Key, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(header.Key, value);
            }
        }
        return request;
    }

    private static HttpResponseMessage ToResponse(JObject message, HttpRequestMessage request)
    {
        var response = new HttpResponseMessage((HttpStatusCode)(int)message["status"]) { RequestMessage = request, Content = ContentOf(message) };
        var reason = (string)message["reason"];
        if (!string.IsNullOrEmpty(reason)) response.ReasonPhrase = reason;
        foreach (var header in (JObject)message["headers"])
        {
            var value = (string)header.Value;
            if (ContentHeaders.Contains(header.Key)) response.Content.Headers.TryAddWithoutValidation(header.Key, value);
            else response.Headers.TryAddWithoutValidation(header.Key, value);
        }
        return response;
    }

    private static async Task<JObject> FromResponse(HttpResponseMessage response)
    {
        var body = response.Content == null ? null : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return new JObject
        {
            ["status"] = (int)response.StatusCode,
            ["reason"] = response.ReasonPhrase,
            ["headers"] = HeadersOf(response.Headers, response.Content == null ? null : response.Content.Headers),
            ["body"] = body == null ? null : Convert.ToBase64String(body),
        };
    }

    private sealed class HostContext : IScriptContext
    {
        private readonly long id;
        private readonly string connectorBaseUri;

        internal HostContext(long id, JObject message, HttpRequestMessage request)
        {
            this.id = id;
            this.Request = request;
            this.OperationId = (string)message["operationId"];
            this.CorrelationId = (string)message["correlationId"];
            this.OriginalRequestUri = new Uri((string)message["originalRequestUri"]);
            this.connectorBaseUri = ((string)message["connectorBaseUri"]).TrimEnd('/');
            this.Logger = new HostLogger(id);
        }

        public string CorrelationId { get; private set; }
        public string OperationId { get; private set; }
        public HttpRequestMessage Request { get; private set; }
        public ILogger Logger { get; private set; }
        public Uri OriginalRequestUri { get; private set; }

        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            return CustomCodeHost.Send(this.id, request, cancellationToken);
        }

        public Uri CreateNotificationUri(string path)
        {
            return new Uri(this.connectorBaseUri + "/" + (path ?? string.Empty).TrimStart('/'));
        }
    }

    private sealed class HostLogger : ILogger
    {
        private readonly long id;

        internal HostLogger(long id)
        {
            this.id = id;
        }

        public void Log(LogLevel logLevel, string message)
        {
            CustomCodeHost.Write(new JObject { ["type"] = "log", ["id"] = this.id, ["level"] = logLevel.ToString(), ["message"] = message });
        }
    }
}
