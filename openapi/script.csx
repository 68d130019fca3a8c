// Custom code of the Partner Center Referrals connector (Learn, "Write code in a custom
// connector"). apiProperties.json enables it for one operation, the polling trigger
// OnReferralCreatedOrUpdated; every action stays codeless.
//
// The trigger answers the polling protocol of Learn, "Create custom APIs you can call from Azure
// Logic Apps": 200 with new items, 202 when nothing is new, the state in the Location URL
// (query parameter triggerState), Retry-After: 0 when more is waiting. It reports every version
// of a referral, (id, eTag), once:
//   - each poll cycle reads the list with `updatedDateTime ge <lower bound>` in ascending order,
//     where the lower bound is the previous cycle's start (the service's Date) minus an overlap
//     window, so a change that becomes visible up to OVERLAP after its timestamp is still read;
//   - what was already delivered inside the window is dropped by a compact record of
//     (id, eTag) hashes carried in the state;
//   - pages are read by keyset (the timestamp of the last item read, plus a skip inside that one
//     instant checked against the hash of the last item read), never by offset over the list,
//     so a referral that changes while a cycle is under way cannot shift another one out of it;
//   - one Partner Center call per execution, well inside the 5-second limit; a call that takes
//     longer than SEND_BUDGET is given up and the same state answered again with 202.
// The state is binary, base64url, with a checksum: a damaged or shortened state is a 400, never
// a fresh start. It never exceeds MAX_STATE_BYTES: room for the versions reported inside the
// window, 1,000 if they share one instant, about 620 if each has its own (trigger.test.ts);
// past that the oldest remembered versions are forgotten, and a forgotten version
// still inside the window is reported again: the trigger repeats rather than loses.
//
// C# 6 with the Learn page's namespaces only, so that Mono's mcs and the platform's compiler
// both accept it (no tuples, no `using var`, no culture-dependent formatting).
public class Script : ScriptBase
{
    private const string TriggerOperation = "OnReferralCreatedOrUpdated";
    private const string StateParameter = "triggerState";
    private const int PageSize = 100;
    private const int IdleRetryAfterSeconds = 60;
    internal const int MaxStateBytes = 8192;
    private static readonly long OverlapTicks = TimeSpan.FromMinutes(5).Ticks;
    private static readonly TimeSpan SendBudget = TimeSpan.FromSeconds(3);

    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        if (this.Context.OperationId != TriggerOperation)
        {
            return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
        }
        var encoded = HttpUtility.ParseQueryString(this.Context.OriginalRequestUri.Query)[StateParameter];
        if (encoded == null)
        {
            return await this.FirstPoll().ConfigureAwait(false);
        }
        string problem;
        var state = TriggerState.Decode(encoded, out problem);
        if (state == null)
        {
            return Error(HttpStatusCode.BadRequest, "InvalidTriggerState", "The trigger state in the polling URL (" + StateParameter + ") " + problem +
                ". The trigger cannot tell which changes it already reported, so it stops here rather than repeat or skip them; turn the flow off and on again to start from now.");
        }
        return await this.Poll(state).ConfigureAwait(false);
    }

    // The first poll only fixes where reporting starts: the service's own clock, now.
    private async Task<HttpResponseMessage> FirstPoll()
    {
        var reply = await this.List("$orderby=" + Uri.EscapeDataString("updatedDateTime desc") + "&$top=1").ConfigureAwait(false);
        if (reply.Failure != null) return reply.Failure;
        if (reply.Transient) return this.Answer(null, null, reply.RetryAfterSeconds);
        var state = new TriggerState { Since = reply.DateTicks };
        return this.Answer(state, null, IdleRetryAfterSeconds);
    }

    private async Task<HttpResponseMessage> Poll(TriggerState state)
    {
        bool continuing = state.Paging;
        long from = continuing ? state.Cursor : state.Since;
        int skip = continuing && state.Consumed > 0 ? state.Consumed - 1 : 0;
        var query = "$filter=" + Uri.EscapeDataString("updatedDateTime ge " + Iso(from)) + "&$orderby=" + Uri.EscapeDataString("updatedDateTime asc") + "&$top=" + PageSize + (skip > 0 ? "&$skip=" + skip : "");
        var reply = await this.List(query).ConfigureAwait(false);
        if (reply.Failure != null) return reply.Failure;
        if (reply.Transient) return this.Answer(state, null, reply.RetryAfterSeconds);
        if (!continuing) state.CycleStart = reply.DateTicks;

        var items = reply.Items;
        // The skip must land on the last item read; anything else means the instant changed
        // under us (an update moved one out, a late one came in): read that instant again.
        bool shifted = continuing && state.Consumed > 0 && (items.Count == 0 || items[0].Hash != state.Anchor);
        var delivered = new HashSet<ulong>();
        foreach (var entry in state.Seen) delivered.Add(entry.Hash);
        var fresh = new JArray();
        foreach (var item in items)
        {
            if (!delivered.Add(item.Hash)) continue;
            fresh.Add(item.Json);
            state.Seen.Add(new SeenEntry(item.Ticks, item.Hash));
        }
        // An empty page ends the cycle even with a next link: nothing is at or after `from`.
        bool more = shifted || (items.Count > 0 && (reply.HasNextLink || items.Count >= PageSize));
        if (shifted)
        {
            state.Paging = true;
            state.Cursor = from;
            state.Consumed = 0;
            state.Anchor = 0;
        }
        else if (more)
        {
            var last = items[items.Count - 1];
            int atLast = 0;
            foreach (var item in items) if (item.Ticks == last.Ticks) atLast++;
            state.Paging = true;
            state.Consumed = (last.Ticks == from ? skip : 0) + atLast;
            state.Cursor = last.Ticks;
            state.Anchor = last.Hash;
        }
        else
        {
            state.Paging = false;
            state.Since = Math.Max(state.Since, state.CycleStart - OverlapTicks);
            state.Seen.RemoveAll(e => e.Ticks < state.Since);
        }
        int forgotten = state.FitTo(MaxStateBytes);
        if (forgotten > 0)
        {
            this.Context.Logger.LogWarning("Trigger state at its cap of {Bytes} bytes: forgot the {Count} oldest reported versions; any of them still inside the overlap window will be reported again.", MaxStateBytes, forgotten);
        }
        return this.Answer(state, fresh.Count > 0 ? fresh : null, more ? 0 : IdleRetryAfterSeconds);
    }

    private HttpResponseMessage Answer(TriggerState state, JArray items, int retryAfterSeconds)
    {
        HttpResponseMessage response;
        if (items == null)
        {
            response = new HttpResponseMessage(HttpStatusCode.Accepted);
        }
        else
        {
            response = new HttpResponseMessage(HttpStatusCode.OK);
            response.Content = CreateJsonContent(new JObject { ["value"] = items }.ToString(Newtonsoft.Json.Formatting.None));
        }
        var location = new UriBuilder(this.Context.OriginalRequestUri);
        var query = HttpUtility.ParseQueryString(location.Query);
        if (state == null) query.Remove(StateParameter);
        else query[StateParameter] = state.Encode();
        location.Query = query.ToString();
        response.Headers.Location = location.Uri;
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(retryAfterSeconds));
        return response;
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message)
    {
        var response = new HttpResponseMessage(status);
        response.Content = CreateJsonContent(new JObject { ["error"] = new JObject { ["code"] = code, ["message"] = message } }.ToString(Newtonsoft.Json.Formatting.None));
        return response;
    }

    // One GET of the referral list, on the same host and base path as the operation's request.
    private async Task<ListReply> List(string query)
    {
        var incoming = this.Context.Request;
        var path = incoming.RequestUri.AbsolutePath;
        int cut = path.LastIndexOf("/triggers/referrals", StringComparison.Ordinal);
        if (cut < 0) cut = path.LastIndexOf("/referrals", StringComparison.Ordinal);
        var basePath = cut < 0 ? path.TrimEnd('/') : path.Substring(0, cut);
        var request = new HttpRequestMessage(HttpMethod.Get, incoming.RequestUri.GetLeftPart(UriPartial.Authority) + basePath + "/referrals?" + query);
        foreach (var header in incoming.Headers) request.Headers.TryAddWithoutValidation(header.Key, header.Value);

        var reply = new ListReply { RetryAfterSeconds = IdleRetryAfterSeconds, Items = new List<ListedItem>() };
        HttpResponseMessage response;
        string text;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(this.CancellationToken))
        {
            budget.CancelAfter(SendBudget);
            try
            {
                response = await this.Context.SendAsync(request, budget.Token).ConfigureAwait(false);
                text = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Partner Center is slow: answer in time with the same state.
                reply.Transient = true;
                return reply;
            }
            catch (HttpRequestException)
            {
                reply.Transient = true;
                return reply;
            }
        }
        int status = (int)response.StatusCode;
        if (status == 429 || status >= 500)
        {
            // Throttled or failing: nothing is lost by asking again later with the same state.
            reply.Transient = true;
            if (response.Headers.RetryAfter != null && response.Headers.RetryAfter.Delta.HasValue)
                reply.RetryAfterSeconds = (int)Math.Ceiling(response.Headers.RetryAfter.Delta.Value.TotalSeconds);
            return reply;
        }
        if (status >= 400)
        {
            reply.Failure = response;
            return reply;
        }
        reply.DateTicks = response.Headers.Date.HasValue ? response.Headers.Date.Value.UtcTicks : DateTime.UtcNow.Ticks;
        JObject body;
        try
        {
            var reader = new JsonTextReader(new System.IO.StringReader(text)) { DateParseHandling = DateParseHandling.None };
            body = JObject.Load(reader);
        }
        catch (JsonException e)
        {
            reply.Failure = Error(HttpStatusCode.BadGateway, "InvalidListResponse", "Partner Center's referral list is not JSON: " + e.Message);
            return reply;
        }
        reply.HasNextLink = body["@odata.nextLink"] != null && body["@odata.nextLink"].Type == JTokenType.String;
        var value = body["value"] as JArray;
        long previous = long.MinValue;
        foreach (var token in value ?? new JArray())
        {
            var referral = token as JObject;
            long ticks;
            if (referral == null || !TryParseIso((string)referral["updatedDateTime"], out ticks))
            {
                reply.Failure = Error(HttpStatusCode.BadGateway, "InvalidListResponse", "A referral in Partner Center's list has no valid updatedDateTime.");
                return reply;
            }
            if (ticks < previous)
            {
                reply.Failure = Error(HttpStatusCode.BadGateway, "InvalidListResponse", "Partner Center's list is not in ascending updatedDateTime order, which keyset paging needs.");
                return reply;
            }
            previous = ticks;
            reply.Items.Add(new ListedItem { Json = referral, Ticks = ticks, Hash = VersionHash((string)referral["id"], (string)referral["eTag"]) });
        }
        return reply;
    }

    // The first 8 bytes of SHA-256 over "id\neTag": a false match among a few thousand versions
    // has a probability around 1e-16.
    internal static ulong VersionHash(string id, string eTag)
    {
        using (var sha = SHA256.Create())
        {
            var digest = sha.ComputeHash(Encoding.UTF8.GetBytes((id ?? string.Empty) + "\n" + (eTag ?? string.Empty)));
            ulong hash = 0;
            for (int i = 7; i >= 0; i--) hash = (hash << 8) | digest[i];
            return hash;
        }
    }

    private static readonly Regex IsoTime = new Regex(@"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7})\d*)?(Z|[+-]\d{2}:\d{2})$");

    // ISO 8601 to UTC ticks without culture settings (System.Globalization is not on the list).
    internal static bool TryParseIso(string text, out long ticks)
    {
        ticks = 0;
        var m = text == null ? null : IsoTime.Match(text);
        if (m == null || !m.Success) return false;
        try
        {
            var time = new DateTime(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value), int.Parse(m.Groups[5].Value), int.Parse(m.Groups[6].Value), DateTimeKind.Utc);
            ticks = time.Ticks + (m.Groups[7].Success ? long.Parse(m.Groups[7].Value.PadRight(7, '0')) : 0);
            var zone = m.Groups[8].Value;
            if (zone != "Z")
            {
                var offset = new TimeSpan(int.Parse(zone.Substring(1, 2)), int.Parse(zone.Substring(4, 2)), 0).Ticks;
                ticks += zone[0] == '+' ? -offset : offset;
            }
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    internal static string Iso(long ticks)
    {
        var t = new DateTime(ticks, DateTimeKind.Utc);
        return string.Format("{0:D4}-{1:D2}-{2:D2}T{3:D2}:{4:D2}:{5:D2}.{6:D7}Z", t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, ticks % TimeSpan.TicksPerSecond);
    }

    private sealed class ListReply
    {
        public HttpResponseMessage Failure;
        public bool Transient;
        public int RetryAfterSeconds;
        public long DateTicks;
        public bool HasNextLink;
        public List<ListedItem> Items;
    }

    private sealed class ListedItem
    {
        public JObject Json;
        public long Ticks;
        public ulong Hash;
    }
}

internal struct SeenEntry
{
    public readonly long Ticks;
    public readonly ulong Hash;

    public SeenEntry(long ticks, ulong hash)
    {
        this.Ticks = ticks;
        this.Hash = hash;
    }
}

// Everything the trigger knows between two polls, carried by the Location URL.
//   version 1 | Since (int64 ticks) | flags (1 = a cycle is under way)
//   [ CycleStart (int64) | Cursor - Since (varint) | Consumed (varint) | Anchor (8 bytes, if Consumed > 0) ]
//   group count (varint) | per instant, ascending: ticks - previous instant (varint) | n (varint) | n hashes (8 bytes each)
//   checksum: the first 8 bytes of SHA-256 over everything before it
internal sealed class TriggerState
{
    private const byte Version = 1;

    public long Since;
    public bool Paging;
    public long CycleStart;
    public long Cursor;
    public int Consumed;
    public ulong Anchor;
    public List<SeenEntry> Seen = new List<SeenEntry>();

    public string Encode()
    {
        var bytes = this.ToBytes();
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    // Forgets the oldest versions until the state fits; returns how many were forgotten.
    public int FitTo(int maxBytes)
    {
        this.Seen.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
        int forgotten = 0;
        int size = this.ToBytes().Length;
        while (size > maxBytes && this.Seen.Count > 0)
        {
            int n = Math.Min(this.Seen.Count, Math.Max(1, (size - maxBytes + 7) / 8));
            this.Seen.RemoveRange(0, n);
            forgotten += n;
            size = this.ToBytes().Length;
        }
        return forgotten;
    }

    private byte[] ToBytes()
    {
        var output = new System.IO.MemoryStream();
        output.WriteByte(Version);
        WriteInt64(output, this.Since);
        output.WriteByte((byte)(this.Paging ? 1 : 0));
        if (this.Paging)
        {
            WriteInt64(output, this.CycleStart);
            WriteVarint(output, (ulong)(this.Cursor - this.Since));
            WriteVarint(output, (ulong)this.Consumed);
            if (this.Consumed > 0) WriteInt64(output, (long)this.Anchor);
        }
        var sorted = new List<SeenEntry>(this.Seen);
        sorted.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
        int groups = 0;
        for (int i = 0; i < sorted.Count; i++) if (i == 0 || sorted[i].Ticks != sorted[i - 1].Ticks) groups++;
        WriteVarint(output, (ulong)groups);
        long previous = this.Since;
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j < sorted.Count && sorted[j].Ticks == sorted[i].Ticks) j++;
            WriteVarint(output, (ulong)(sorted[i].Ticks - previous));
            WriteVarint(output, (ulong)(j - i));
            for (int k = i; k < j; k++) WriteInt64(output, (long)sorted[k].Hash);
            previous = sorted[i].Ticks;
            i = j;
        }
        var payload = output.ToArray();
        using (var sha = SHA256.Create())
        {
            output.Write(sha.ComputeHash(payload), 0, 8);
        }
        return output.ToArray();
    }

    // A state, or null with the reason it is not one this trigger wrote.
    public static TriggerState Decode(string text, out string problem)
    {
        byte[] bytes;
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            bytes = Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
        }
        catch (FormatException)
        {
            problem = "is not base64url text (truncated or changed)";
            return null;
        }
        if (bytes.Length < 1 + 8 + 1 + 1 + 8)
        {
            problem = "is truncated (" + bytes.Length + " bytes)";
            return null;
        }
        int end = bytes.Length - 8;
        using (var sha = SHA256.Create())
        {
            var digest = sha.ComputeHash(bytes, 0, end);
            for (int i = 0; i < 8; i++)
            {
                if (digest[i] != bytes[end + i])
                {
                    problem = "is truncated or was changed (its checksum does not match)";
                    return null;
                }
            }
        }
        if (bytes[0] != Version)
        {
            problem = "has version " + bytes[0] + ", which this connector does not write";
            return null;
        }
        try
        {
            int at = 1;
            var state = new TriggerState();
            state.Since = ReadInt64(bytes, ref at, end);
            byte flags = ReadByte(bytes, ref at, end);
            if (flags > 1) throw new FormatException("unknown flags");
            state.Paging = flags == 1;
            if (state.Paging)
            {
                state.CycleStart = ReadInt64(bytes, ref at, end);
                state.Cursor = checked(state.Since + (long)ReadVarint(bytes, ref at, end));
                state.Consumed = checked((int)ReadVarint(bytes, ref at, end));
                if (state.Consumed > 0) state.Anchor = (ulong)ReadInt64(bytes, ref at, end);
            }
            ulong groups = ReadVarint(bytes, ref at, end);
            long ticks = state.Since;
            for (ulong g = 0; g < groups; g++)
            {
                ticks = checked(ticks + (long)ReadVarint(bytes, ref at, end));
                ulong n = ReadVarint(bytes, ref at, end);
                if (n == 0 || n > (ulong)(end - at) / 8) throw new FormatException("bad group size");
                for (ulong k = 0; k < n; k++) state.Seen.Add(new SeenEntry(ticks, (ulong)ReadInt64(bytes, ref at, end)));
            }
            if (at != end) throw new FormatException("trailing bytes");
            problem = null;
            return state;
        }
        catch (Exception e)
        {
            if (!(e is FormatException) && !(e is OverflowException)) throw;
            problem = "is not laid out as this connector writes it (" + e.Message + ")";
            return null;
        }
    }

    private static void WriteInt64(System.IO.Stream output, long value)
    {
        for (int i = 0; i < 8; i++) output.WriteByte((byte)(value >> (8 * i)));
    }

    private static void WriteVarint(System.IO.Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    private static byte ReadByte(byte[] bytes, ref int at, int end)
    {
        if (at >= end) throw new FormatException("ends early");
        return bytes[at++];
    }

    private static long ReadInt64(byte[] bytes, ref int at, int end)
    {
        long value = 0;
        for (int i = 0; i < 8; i++) value |= (long)ReadByte(bytes, ref at, end) << (8 * i);
        return value;
    }

    private static ulong ReadVarint(byte[] bytes, ref int at, int end)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte(bytes, ref at, end);
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new FormatException("varint too long");
    }
}
