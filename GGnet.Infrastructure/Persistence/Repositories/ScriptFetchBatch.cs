using System.Data.Common;
using GGnet.Core.Domain.Machines;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace GGnet.Infrastructure.Persistence.Repositories;

/// <summary>
/// Saves a batch of script fetches with two prepared statements in one transaction (an insert per event, an update per
/// machine) instead of EF Core's change tracker, which cost a core's worth of CPU when a hall's PCs asked for their scripts
/// tens of thousands of times a second. Table and column names, and the conversion of each value, come from EF Core's model,
/// so the statements match both providers and every migration.
/// </summary>
internal sealed class ScriptFetchBatch(GGnetDbContext db)
{
    private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();

    /// <summary>A machine's boot stage after the batch, and when it was last seen (its last fetch).</summary>
    public sealed record MachineSeen(int MachineId, BootStage Stage, DateTime? StageChangedAt, DateTime LastSeen);

    public async Task SaveAsync(IReadOnlyList<BootEvent> events, IReadOnlyList<MachineSeen> machines, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();

        var eventType = db.Model.FindEntityType(typeof(BootEvent))!;
        string[] eventColumns = [nameof(BootEvent.MachineId), nameof(BootEvent.MacAddress), nameof(BootEvent.Kind), nameof(BootEvent.ClientAddress), nameof(BootEvent.At), nameof(BootEvent.Detail)];
        await using (var insert = Insert(connection, transaction.GetDbTransaction(), eventType, eventColumns))
        {
            var columns = Columns(eventType, eventColumns);
            foreach (var fetched in events)
            {
                Bind(insert, columns, [fetched.MachineId, fetched.MacAddress, fetched.Kind, fetched.ClientAddress, fetched.At, fetched.Detail]);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var machineType = db.Model.FindEntityType(typeof(Machine))!;
        string[] machineColumns = [nameof(Machine.BootStage), nameof(Machine.BootStageChangedAt), nameof(Machine.LastSeen), nameof(Machine.Id), nameof(Machine.BootStageChangedAt)];
        await using (var update = Update(connection, transaction.GetDbTransaction(), machineType, machineColumns))
        {
            var columns = Columns(machineType, machineColumns);
            // In the order of their ids, as a start's new CHAP secrets are written (MachineRepository.SaveChapSecretsAsync).
            foreach (var seen in machines.OrderBy(m => m.MachineId))
            {
                Bind(update, columns, [seen.Stage, seen.StageChangedAt, seen.LastSeen, seen.MachineId, seen.LastSeen]);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private DbCommand Insert(DbConnection connection, DbTransaction transaction, IEntityType type, string[] properties)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {Table(type)} ({string.Join(", ", properties.Select(p => Column(type, p)))}) VALUES ({string.Join(", ", properties.Select((_, i) => Parameter(i)))})";
        return command;
    }

    // The last two properties are the key and the stage's change time, which must not be later than the last fetch: a stage
    // saved meanwhile by an observation after the fetches (Machine.FetchStillMoves) is left as it is.
    private DbCommand Update(DbConnection connection, DbTransaction transaction, IEntityType type, string[] properties)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var set = string.Join(", ", properties[..^2].Select((p, i) => $"{Column(type, p)} = {Parameter(i)}"));
        var changedAt = Column(type, properties[^1]);
        command.CommandText = $"UPDATE {Table(type)} SET {set} WHERE {Column(type, properties[^2])} = {Parameter(properties.Length - 2)} "
            + $"AND ({changedAt} IS NULL OR {changedAt} <= {Parameter(properties.Length - 1)})";
        return command;
    }

    // Each column's property, the mapping that converts its values as EF Core would (value objects, enums, times), and its parameter's name: looked up once per batch.
    private (IProperty Property, RelationalTypeMapping Mapping, string Name)[] Columns(IEntityType type, string[] properties) =>
        properties.Select(p => type.FindProperty(p)!)
            .Select((property, i) => (property, (RelationalTypeMapping)property.GetRelationalTypeMapping(), _sql.GenerateParameterName(ParameterName(i))))
            .ToArray();

    private static void Bind(DbCommand command, (IProperty Property, RelationalTypeMapping Mapping, string Name)[] columns, object?[] values)
    {
        command.Parameters.Clear();
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.Add(columns[i].Mapping.CreateParameter(command, columns[i].Name, values[i], columns[i].Property.IsNullable));
        }
    }

    private string Table(IEntityType type) => _sql.DelimitIdentifier(type.GetTableName()!, type.GetSchema());

    private string Column(IEntityType type, string property) =>
        _sql.DelimitIdentifier(type.FindProperty(property)!.GetColumnName(StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema()))!);

    private string Parameter(int index) => _sql.GenerateParameterNamePlaceholder(ParameterName(index));

    private static string ParameterName(int index) => "p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

}
