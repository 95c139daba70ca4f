namespace QuantKernels.Kernels.Detection;

/// <summary>
/// Working memory for <see cref="DetectionPostProcessReference"/>, allocated once for a problem size
/// (typically at Prepare) so that each run allocates nothing.
/// </summary>
public sealed class DetectionScratch
{
    /// <summary>Allocates scratch for <paramref name="numBoxes"/> anchors and the given options.</summary>
    public DetectionScratch(int numBoxes, DetectionPostProcessParams p)
    {
        if (numBoxes < 0) throw new ArgumentException($"numBoxes {numBoxes} is negative", nameof(numBoxes));
        if (p.MaxDetections < 0) throw new ArgumentException($"max_detections {p.MaxDetections} is negative", nameof(p));
        if (p.NumClasses <= 0) throw new ArgumentException($"num_classes {p.NumClasses} must be positive", nameof(p));
        if (p.MaxClassesPerDetection <= 0) throw new ArgumentException($"max_classes_per_detection {p.MaxClassesPerDetection} must be positive", nameof(p));
        NumBoxes = numBoxes;
        Params = p;
        int merged = checked(numBoxes + p.MaxDetections);
        DecodedBoxes = new float[checked(numBoxes * 4)];
        SortKeys = new ulong[merged];
        Active = new byte[numBoxes];
        Columns = new float[NonMaxSuppressionSimd.ColumnLength(numBoxes)];
        Alive = new int[numBoxes];
        Selected = new int[numBoxes];
        BoxScores = new float[numBoxes];
        int k = Math.Min(p.MaxClassesPerDetection, p.NumClasses);
        ClassIndices = new int[checked(numBoxes * k)];
        MergedAnchors = new int[merged];
        MergedClasses = new int[merged];
        MergedScores = new float[merged];
        TopAnchors = new int[p.MaxDetections];
        TopClasses = new int[p.MaxDetections];
        TopScores = new float[p.MaxDetections];
    }

    /// <summary>Anchor count this scratch was sized for.</summary>
    public int NumBoxes { get; }
    /// <summary>Options this scratch was sized for.</summary>
    public DetectionPostProcessParams Params { get; }
    /// <summary>The decoded corner boxes [NumBoxes, 4] of the last run (ymin, xmin, ymax, xmax).</summary>
    public float[] DecodedBoxes { get; }

    internal ulong[] SortKeys { get; }
    internal byte[] Active { get; }
    internal float[] Columns { get; }
    internal int[] Alive { get; }
    internal int[] Selected { get; }
    internal float[] BoxScores { get; }
    internal int[] ClassIndices { get; }
    internal int[] MergedAnchors { get; }
    internal int[] MergedClasses { get; }
    internal float[] MergedScores { get; }
    internal int[] TopAnchors { get; }
    internal int[] TopClasses { get; }
    internal float[] TopScores { get; }
}
