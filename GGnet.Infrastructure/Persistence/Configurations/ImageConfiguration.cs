using GGnet.Core.Domain.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GGnet.Infrastructure.Persistence.Configurations;

internal sealed class ImageConfiguration : IEntityTypeConfiguration<Image>
{
    public void Configure(EntityTypeBuilder<Image> builder)
    {
        builder.Property(i => i.Name).HasMaxLength(Image.MaxNameLength);
        builder.Ignore(i => i.IsData);
        builder.Property(i => i.Description).HasMaxLength(500);
        builder.Property(i => i.NodeName).HasMaxLength(GGnet.Core.Domain.Hostname.MaxLength);
        builder.HasIndex(i => i.Name).IsUnique();
        builder.HasMany(i => i.Versions).WithOne().HasForeignKey(v => v.ImageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ImageVersion>().WithMany().HasForeignKey(i => i.CurrentVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ImageVersionConfiguration : IEntityTypeConfiguration<ImageVersion>
{
    /// <summary>The end of a test boot's console that is kept (<see cref="GGnet.Core.Images.TestCandidate.ConsoleKept"/>).</summary>
    private const int TrialConsoleChars = GGnet.Core.Images.TestCandidate.ConsoleKept;

    public void Configure(EntityTypeBuilder<ImageVersion> builder)
    {
        builder.Property(v => v.Path).HasMaxLength(4096);
        builder.Property(v => v.FailureReason).HasMaxLength(2000);
        builder.Property(v => v.SourcePath).HasMaxLength(4096);
        builder.Ignore(v => v.TrialRunning);
        builder.Property(v => v.TrialSentence).HasMaxLength(2000);
        builder.Property(v => v.TrialConsole).HasMaxLength(TrialConsoleChars);
        builder.HasIndex(v => new { v.ImageId, v.Number }).IsUnique();
    }
}
