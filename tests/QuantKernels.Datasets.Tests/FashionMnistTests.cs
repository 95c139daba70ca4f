using QuantKernels.Datasets.FashionMnist;

namespace QuantKernels.Datasets.Tests;

public class FashionMnistTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Loads_plain_and_gzipped_IDX_files(bool gzip)
    {
        using var data = new SyntheticFashionMnist(count: 12, gzip);
        var set = FashionMnistSet.Load(FashionMnistSplit.Test, data.Directory);
        Assert.Equal(12, set.Count);
        Assert.Equal(3, set.Label(3));
        Assert.Equal(200, set.Image(0)[2 * 28 + 3]);
        Assert.Equal(0, set.Image(0)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Label(12));
    }

    [Fact]
    public void Missing_files_say_how_to_install_the_data_set()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnistSet.Load(FashionMnistSplit.Train, "/nonexistent-qk-folder"));
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void Malformed_IDX_streams_are_rejected_with_the_reason()
    {
        var good = SyntheticFashionMnist.Idx([2, 2], [1, 2, 3, 4]);
        Assert.Equal([1, 2, 3, 4], IdxReader.Read(new MemoryStream(good), "t").Data);
        Assert.Contains("ends inside the data", Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(good[..^1]), "t")).Message);
        var badMagic = (byte[])good.Clone(); badMagic[0] = 1;
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(badMagic), "t")).Message);
        var floats = (byte[])good.Clone(); floats[2] = 0x0D;
        Assert.Contains("not unsigned byte", Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(floats), "t")).Message);
        // A header promising 2^31 x 2^31 bytes must not allocate.
        var huge = SyntheticFashionMnist.Idx([int.MaxValue, int.MaxValue], []);
        Assert.Contains("payload larger", Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(huge), "t")).Message);
    }

    [Fact]
    public void The_installed_data_set_has_Fashion_MNIST_sizes()
    {
        if (!File.Exists(Path.Combine(FashionMnistSet.DefaultDirectory, "t10k-labels-idx1-ubyte.gz")))
            Assert.Skip("dataset-fashion-mnist is not installed");
        var test = FashionMnistSet.Load(FashionMnistSplit.Test);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(1000, Enumerable.Range(0, test.Count).Count(i => test.Label(i) == 9));
    }
}
