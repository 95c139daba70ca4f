namespace QuantKernels.Kernels.Detection;

/// <summary>Decodes center-size box encodings against anchors into corner boxes, as TFLite_Detection_PostProcess does.</summary>
public static class BoxDecoding
{
    /// <summary>
    /// For each box i: ycenter = ty/Y*ha + ya, xcenter = tx/X*wa + xa, half_h = 0.5*exp(th/H)*ha,
    /// half_w = 0.5*exp(tw/W)*wa, all in double and rounded to float once per value (TFLite computes it this
    /// way, so decoded boxes match bit for bit); writes (ymin, xmin, ymax, xmax).
    /// </summary>
    /// <param name="encodings">Box encodings, <paramref name="numBoxes"/> rows of <paramref name="encodingStride"/> floats; the first four are (ty, tx, th, tw), the rest (keypoints) are ignored.</param>
    /// <param name="encodingStride">Floats per encoding row (at least 4).</param>
    /// <param name="anchors">Anchors [numBoxes, 4] as (ycenter, xcenter, h, w).</param>
    /// <param name="numBoxes">Number of boxes (anchors).</param>
    /// <param name="scales">The box coder's scales.</param>
    /// <param name="boxes">Output [numBoxes, 4] as (ymin, xmin, ymax, xmax).</param>
    public static void DecodeCenterSize(ReadOnlySpan<float> encodings, int encodingStride, ReadOnlySpan<float> anchors,
        int numBoxes, BoxCoderScales scales, Span<float> boxes)
    {
        if (numBoxes < 0) throw new ArgumentException($"numBoxes {numBoxes} is negative", nameof(numBoxes));
        if (encodingStride < 4) throw new ArgumentException($"encodingStride {encodingStride} is below 4", nameof(encodingStride));
        if ((long)encodings.Length < (long)numBoxes * encodingStride)
            throw new ArgumentException($"encodings hold {encodings.Length} floats; {numBoxes} boxes of {encodingStride} need {(long)numBoxes * encodingStride}", nameof(encodings));
        if ((long)anchors.Length < (long)numBoxes * 4)
            throw new ArgumentException($"anchors hold {anchors.Length} floats; {numBoxes} anchors need {(long)numBoxes * 4}", nameof(anchors));
        if ((long)boxes.Length < (long)numBoxes * 4)
            throw new ArgumentException($"boxes hold {boxes.Length} floats; {numBoxes} boxes need {(long)numBoxes * 4}", nameof(boxes));

        double sy = scales.Y, sx = scales.X, sh = scales.H, sw = scales.W;
        for (int i = 0; i < numBoxes; i++)
        {
            var e = encodings.Slice(i * encodingStride, 4);
            var a = anchors.Slice(i * 4, 4);
            float ycenter = (float)((double)e[0] / sy * a[2] + a[0]);
            float xcenter = (float)((double)e[1] / sx * a[3] + a[1]);
            float halfH = (float)(0.5 * Math.Exp((double)e[2] / sh) * a[2]);
            float halfW = (float)(0.5 * Math.Exp((double)e[3] / sw) * a[3]);
            var b = boxes.Slice(i * 4, 4);
            b[0] = ycenter - halfH;
            b[1] = xcenter - halfW;
            b[2] = ycenter + halfH;
            b[3] = xcenter + halfW;
        }
    }
}
