using GGnet.Core.Domain;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GGnet.Infrastructure.Persistence;

// Value objects are stored in their canonical text (or number) and parsed back, so a row can never load invalid.
internal sealed class MacAddressConverter() : ValueConverter<MacAddress, string>(v => v.Value, s => MacAddress.Parse(s));

internal sealed class HostnameConverter() : ValueConverter<Hostname, string>(v => v.Value, s => Hostname.Parse(s));

internal sealed class IqnConverter() : ValueConverter<Iqn, string>(v => v.Value, s => Iqn.Parse(s));

// Stored as a number so that sorting by address is numeric (10.0.0.9 before 10.0.0.10).
internal sealed class Ipv4AddressConverter() : ValueConverter<Ipv4Address, long>(v => v.Number, n => Ipv4Address.FromNumber((uint)n));

// SQLite hands DateTime back as Unspecified; PostgreSQL's timestamptz insists on Utc. Everything GGnet stores is UTC.
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

internal sealed class WebhookUrlConverter() : ValueConverter<GGnet.Core.Domain.Webhooks.WebhookUrl, string>(v => v.Value, s => GGnet.Core.Domain.Webhooks.WebhookUrl.Parse(s));

internal sealed class WebhookEventFilterConverter() : ValueConverter<GGnet.Core.Domain.Webhooks.WebhookEventFilter, string>(v => v.Value, s => GGnet.Core.Domain.Webhooks.WebhookEventFilter.Parse(s));
