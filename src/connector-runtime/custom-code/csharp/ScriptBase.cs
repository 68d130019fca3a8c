// The types a connector's script.csx compiles against. Written from Microsoft Learn, "Write code
// in a custom connector" ("Definition of supporting classes and interfaces ... can be used for
// local testing and compilation"), plus what certified scripts use that the page does not list;
// each such member says which corpus scripts it comes from. The bodies are ours: the host
// (Host.cs) fills Context and CancellationToken before ExecuteAsync runs.
using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

public abstract class ScriptBase
{
    // Context object
    public IScriptContext Context { get; internal set; }

    // CancellationToken for the execution
    public CancellationToken CancellationToken { get; internal set; }

    // Helper: Creates a StringContent object from the serialized JSON
    public static StringContent CreateJsonContent(string serializedJson)
    {
        return new StringContent(serializedJson ?? string.Empty, Encoding.UTF8, "application/json");
    }

    // Abstract method for your code
    public abstract Task<HttpResponseMessage> ExecuteAsync();
}

public interface IScriptContext
{
    // Correlation Id
    string CorrelationId { get; }

    // Connector Operation Id
    string OperationId { get; }

    // Incoming request
    HttpRequestMessage Request { get; }

    // Logger instance
    ILogger Logger { get; }

    // Used to send an HTTP request; use it instead of HttpClient.SendAsync
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    // Taken from the corpus, not on the Learn page: the URL the platform called on the connector
    // (SurveyMonkey, MoreApp Forms, Azure Communication Services SMS Events, Zellis, Annature build
    // a Location from it, so that the next poll comes back through the connector).
    Uri OriginalRequestUri { get; }

    // Taken from the corpus, not on the Learn page: a callback URL on the connector for a webhook
    // (DocuSign, Zellis: CreateNotificationUri("/WebhookNotification?...").AbsoluteUri).
    Uri CreateNotificationUri(string path);
}

// Two certified scripts (Azure Communication Services Email and Identity) import this namespace,
// so the platform has it; nothing in it is used by name.
namespace Microsoft.PowerPlatform.Connectors.CustomCode.CSharp
{
}

// The Learn page types Logger as Microsoft.Extensions.Logging.ILogger, which Mono does not ship.
// This is the part scripts use (corpus: LogInformation); the host forwards each line to the runtime.
namespace Microsoft.Extensions.Logging
{
    public enum LogLevel { Trace, Debug, Information, Warning, Error, Critical, None }

    public interface ILogger
    {
        void Log(LogLevel logLevel, string message);
    }

    public static class LoggerExtensions
    {
        public static void LogTrace(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Trace, Format(message, args)); }
        public static void LogDebug(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Debug, Format(message, args)); }
        public static void LogInformation(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Information, Format(message, args)); }
        public static void LogWarning(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Warning, Format(message, args)); }
        public static void LogError(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Error, Format(message, args)); }
        public static void LogCritical(this ILogger logger, string message, params object[] args) { logger.Log(LogLevel.Critical, Format(message, args)); }

        // Message templates name their holes ("{Count}"); fill them in order, as the real logger does.
        private static string Format(string message, object[] args)
        {
            if (message == null || args == null || args.Length == 0) return message;
            var result = new StringBuilder();
            int next = 0;
            for (int i = 0; i < message.Length; i++)
            {
                int close = message[i] == '{' ? message.IndexOf('}', i) : -1;
                if (close > i && next < args.Length)
                {
                    result.Append(args[next++]);
                    i = close;
                }
                else
                {
                    result.Append(message[i]);
                }
            }
            return result.ToString();
        }
    }
}

// Debian's Newtonsoft.Json is 6.0; the platform's is newer (assumption: the version is not
// published). JObject.ContainsKey came in Json.NET 11.0 and five corpus scripts call it; an
// extension method is only picked when the instance method is missing, so on the platform's
// library this changes nothing.
public static class NewtonsoftJsonCompatibility
{
    public static bool ContainsKey(this JObject jObject, string propertyName)
    {
        return jObject.Property(propertyName) != null;
    }
}
