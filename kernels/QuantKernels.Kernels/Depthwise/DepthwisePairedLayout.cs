namespace QuantKernels.Kernels.Depthwise;

/// <summary>
/// The layout of the <em>paired rows</em> the 3x3 kernels read (<see cref="DepthwisePairedRows"/> writes them): one
/// paired row k holds padded input rows 2k and 2k+1 (in the padded image, row 0 = PadTop rows above the image) widened to
/// int16 (raw x; padding is the input zero point, and the bias carries -zpIn * sum(w)) and interleaved channel by channel, so one <c>vpmaddwd</c>/<c>vpdpwssd</c> adds two vertical taps of
/// a column to each channel's int32 lane, with no shuffle in the kernel.
/// <para>
/// Channels go in blocks of <c>B</c> (16 for 256-bit vectors, 32 for 512-bit); a paired row is [block][padded column]
/// [2B int16]: the first B int16 are the low accumulator's (row 2k, row 2k+1) pairs, the next B the high one's, in the
/// order <c>vpunpcklwd</c>/<c>vpunpckhwd</c> produce per 128-bit lane: low = channels 8l+0..3 of each lane l, high =
/// channels 8l+4..7. Padded columns and rows hold the zero point, so with the bias's -zpIn * sum(w) a padded tap adds
/// nothing; channels past the last have weight 0.
/// </para>
/// </summary>
internal static class DepthwisePairedLayout
{
    /// <summary>int16 offset, within one block's 2B-int16 column, of channel <paramref name="j"/>'s pair (its first
    /// element: the even row; +1 the odd row).</summary>
    public static int PairOffset(int j, int block) => (j & 7) / 4 * block + (j / 8) * 8 + 2 * (j & 3);

    /// <summary>Channel (within its block) of accumulator lane <paramref name="lane"/> (0..B-1: the low accumulator's
    /// B/2 lanes, then the high one's): the order requantization constants are stored in.</summary>
    public static int LaneChannel(int lane, int block)
    {
        int half = lane / (block / 2), r = lane % (block / 2);
        return r / 4 * 8 + half * 4 + (r & 3);
    }
}
