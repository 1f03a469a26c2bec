using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GGnet.Infrastructure.Persistence.Configurations;

internal sealed class MachineConfiguration : IEntityTypeConfiguration<Machine>
{
    public void Configure(EntityTypeBuilder<Machine> builder)
    {
        builder.Property(m => m.Name).HasConversion<HostnameConverter>().HasMaxLength(Hostname.MaxLength);
        builder.Property(m => m.MacAddress).HasConversion<MacAddressConverter>().HasMaxLength(17);
        builder.Property(m => m.IpAddress).HasConversion<Ipv4AddressConverter>();
        builder.Property(m => m.InitiatorIqn).HasConversion<IqnConverter>().HasMaxLength(Iqn.MaxLength);
        builder.Property(m => m.Description).HasMaxLength(Machine.MaxDescriptionLength);
        builder.Property(m => m.ProtectedChapSecret).HasMaxLength(1000);
        builder.Property(m => m.ProtectedMutualChapSecret).HasMaxLength(1000);
        builder.PrimitiveCollection(m => m.DataImageIds);
        builder.HasIndex(m => m.Name).IsUnique();
        builder.HasIndex(m => m.MacAddress).IsUnique();
        builder.HasIndex(m => m.IpAddress).IsUnique();
        builder.HasOne<MachineGroup>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.SetNull);
    }
}
