using GGnet.Core.Domain.Machines;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GGnet.Infrastructure.Persistence.Configurations;

internal sealed class MachineGroupConfiguration : IEntityTypeConfiguration<MachineGroup>
{
    public void Configure(EntityTypeBuilder<MachineGroup> builder)
    {
        builder.Property(g => g.Name).HasMaxLength(MachineGroup.MaxNameLength);
        builder.Property(g => g.Description).HasMaxLength(500);
        builder.PrimitiveCollection(g => g.DataImageIds);
        builder.HasIndex(g => g.Name).IsUnique();
    }
}
