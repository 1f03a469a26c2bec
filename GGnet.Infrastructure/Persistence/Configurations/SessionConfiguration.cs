using GGnet.Core.Domain;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GGnet.Infrastructure.Persistence.Configurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    // Same SQL on SQLite and PostgreSQL: enums are stored as their names.
    private static readonly string ActiveFilter =
        "\"State\" IN (" + string.Join(", ", Session.ActiveStates.Order().Select(s => $"'{s}'")) + ")";

    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.Ignore(s => s.IsActive);
        builder.Ignore(s => s.EndReason);
        builder.Ignore(s => s.UpdatesDataImage);
        builder.Ignore(s => s.CopiedVersionIds);
        builder.Property(s => s.FailureReason).HasMaxLength(2000);
        builder.Property(s => s.StopReason).HasMaxLength(2000);
        builder.Property(s => s.KeptDiskPath).HasMaxLength(4096);
        builder.Property(s => s.NodeName).HasMaxLength(Hostname.MaxLength);
        builder.PrimitiveCollection(s => s.DataImageVersionIds);
        builder.Property(s => s.InstallMedium).HasMaxLength(GGnet.Core.Images.UploadImageFile.MaxNameLength);
        builder.HasOne<Machine>().WithMany().HasForeignKey(s => s.MachineId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ImageVersion>().WithMany().HasForeignKey(s => s.ImageVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.Target).WithOne().HasForeignKey<Target>(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.State);
        // The dashboard's feed: the sessions that failed or GGnet stopped in the last 24 hours.
        builder.HasIndex(s => s.UpdatedAt);

        // One active session per machine, enforced by the database itself.
        builder.HasIndex(s => s.MachineId).IsUnique().HasFilter(ActiveFilter).HasDatabaseName("IX_Sessions_OneActivePerMachine");
    }
}

internal sealed class TargetConfiguration : IEntityTypeConfiguration<Target>
{
    public void Configure(EntityTypeBuilder<Target> builder)
    {
        builder.Property(t => t.Iqn).HasConversion<IqnConverter>().HasMaxLength(Iqn.MaxLength);
        builder.Property(t => t.LunPath).HasMaxLength(4096);
        builder.Property(t => t.ChapUser).HasMaxLength(255);
        builder.HasIndex(t => t.Iqn).IsUnique();
    }
}
