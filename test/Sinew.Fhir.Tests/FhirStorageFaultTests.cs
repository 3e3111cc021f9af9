using System.Globalization;
using System.Net;
using System.Text;
using Hl7.Fhir.Model;

namespace Sinew.Fhir.Tests;

/// <summary>A full disk under the journal: a FHIR create is never answered 201 unless stored; the answer is a 503 OperationOutcome.</summary>
public sealed class FhirStorageFaultTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private SmallDisk? _disk;

    [Fact]
    public async Task DiskFull_Create_Answers503TransientWithRetryAfter_AndEveryCreatedIdIsStored()
    {
        _disk = SmallDisk.TryMount(_folder.Combine("small-disk"), "1m");
        Assert.SkipWhen(_disk is null, SmallDisk.NeedsRoot);
        var mount = _disk!.Path;
        _folder.Write("config/channels/supply.yaml", "name: supply\nsource: {type: fhir}\ndestinations: [{name: out, type: file, maxSensitivity: phi, path: out}]\n");
        await using var sinew = await SinewProcess.StartAsync(_folder.Combine("config"), mount);
        var padding = Convert.ToHexString(RandomBytes(8 * 1024));
        var body = Encoding.UTF8.GetBytes(Samples.Delivery(extra: $",\"identifier\":[{{\"value\":\"{padding}\"}}]"));
        var created = new List<long>();
        OperationOutcome? refusal = null;

        for (var i = 0; i < 200 && refusal is null; i++)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/fhir+json");
            using var response = await sinew.Http.PostAsync("fhir/SupplyDelivery", content, TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                created.Add(long.Parse(response.Headers.Location!.ToString()["/fhir/SupplyDelivery/".Length..], CultureInfo.InvariantCulture));
                continue;
            }
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            refusal = await FhirServer.ReadAsync<OperationOutcome>(response);
        }

        Assert.NotNull(refusal);
        Assert.Equal(OperationOutcome.IssueType.Transient, refusal.Issue[0].Code);
        foreach (var id in created)
        {
            using var read = await sinew.Http.GetAsync($"fhir/SupplyDelivery/{id}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
    }

    private static byte[] RandomBytes(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);

    public void Dispose()
    {
        _disk?.Dispose();
        _folder.Dispose();
    }
}
