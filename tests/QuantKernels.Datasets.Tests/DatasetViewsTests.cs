namespace QuantKernels.Datasets.Tests;

public sealed class DatasetViewsTests
{
    private sealed class Numbered(int count) : IDetectionDataset
    {
        public IReadOnlyList<string> ClassNames => ["x"];

        public int Count => count;

        public DetectionSample Get(int index) => new(1, 1, [(byte)index, 0, 0], []);
    }

    [Fact]
    public void Take_keeps_the_first_images_and_never_more_than_there_are()
    {
        var data = new Numbered(5);
        var first = DatasetViews.Take(data, 3);
        Assert.Equal(3, first.Count);
        Assert.Equal(2, first.Get(2).Rgb[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => first.Get(3));
        Assert.Same(data, DatasetViews.Take(data, 9));
    }

    [Fact]
    public void Cycle_repeats_the_images_in_order()
    {
        var cycled = DatasetViews.Cycle(new Numbered(3), 7);
        Assert.Equal(7, cycled.Count);
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], Enumerable.Range(0, 7).Select(i => (int)cycled.Get(i).Rgb[0]));
        Assert.Throws<ArgumentException>(() => DatasetViews.Cycle(new Numbered(0), 4));
    }
}
