using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Vision.Preprocessing;

/// <summary>
/// The vectorized passes of <see cref="RgbResampler"/>. The horizontal pass runs on a block of 8 (AVX2) or 4
/// (Vector128) source rows at once, one row per lane: the block's bytes are transposed into columns of floats, each
/// output value is then the scalar pass's sum <c>((0 + p0*w0) + p1*w1) + ...</c> computed in every lane with separate
/// multiplies and adds (no fused multiply-add), and the results are transposed back into rows. Every lane therefore
/// performs exactly the scalar arithmetic, so the output is identical bit for bit.
/// </summary>
internal static class ResampleBlocks
{
    /// <summary>Horizontal pass of 8 rows: <paramref name="stage"/> holds them (each <paramref name="len"/> bytes),
    /// results go to rows <paramref name="dstRow0"/>.. of <paramref name="rows"/> (each 3 * destination width floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first image (DESIGN.md §4)
    public static void Horizontal256(ReadOnlySpan<byte> stage, int len, ResampleTaps taps, Span<float> cols, Span<float> outT,
        Span<float> rows, int dstRow0)
    {
        const int L = 8;
        ref byte s0 = ref MemoryMarshal.GetReference(stage);
        ref float c0 = ref cols[0];
        int j = 0;
        for (; j + L <= len; j += L)
        {
            var r0 = Bytes8(ref Unsafe.Add(ref s0, j)); var r1 = Bytes8(ref Unsafe.Add(ref s0, len + j));
            var r2 = Bytes8(ref Unsafe.Add(ref s0, 2 * len + j)); var r3 = Bytes8(ref Unsafe.Add(ref s0, 3 * len + j));
            var r4 = Bytes8(ref Unsafe.Add(ref s0, 4 * len + j)); var r5 = Bytes8(ref Unsafe.Add(ref s0, 5 * len + j));
            var r6 = Bytes8(ref Unsafe.Add(ref s0, 6 * len + j)); var r7 = Bytes8(ref Unsafe.Add(ref s0, 7 * len + j));
            Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            nuint o = (nuint)(j * L);
            r0.StoreUnsafe(ref c0, o); r1.StoreUnsafe(ref c0, o + L); r2.StoreUnsafe(ref c0, o + 2 * L); r3.StoreUnsafe(ref c0, o + 3 * L);
            r4.StoreUnsafe(ref c0, o + 4 * L); r5.StoreUnsafe(ref c0, o + 5 * L); r6.StoreUnsafe(ref c0, o + 6 * L); r7.StoreUnsafe(ref c0, o + 7 * L);
        }
        for (; j < len; j++)
            for (int lane = 0; lane < L; lane++) cols[j * L + lane] = stage[lane * len + j];

        var start = taps.Start;
        var count = taps.Count;
        var weights = taps.Weights;
        int stride = taps.Stride;
        ref float t0 = ref outT[0];
        for (int i = 0; i < start.Length; i++)
        {
            Vector256<float> r = Vector256<float>.Zero, g = Vector256<float>.Zero, b = Vector256<float>.Zero;
            var w = weights.Slice(i * stride, count[i]);
            nuint p = (nuint)(start[i] * 3 * L);
            for (int k = 0; k < w.Length; k++, p += 3 * L)
            {
                var wk = Vector256.Create(w[k]);
                r += Vector256.LoadUnsafe(ref c0, p) * wk;
                g += Vector256.LoadUnsafe(ref c0, p + L) * wk;
                b += Vector256.LoadUnsafe(ref c0, p + 2 * L) * wk;
            }
            nuint o = (nuint)(i * 3 * L);
            r.StoreUnsafe(ref t0, o);
            g.StoreUnsafe(ref t0, o + L);
            b.StoreUnsafe(ref t0, o + 2 * L);
        }

        int dstLen = start.Length * 3;
        ref float d0 = ref rows[dstRow0 * dstLen];
        int jj = 0;
        for (; jj + L <= dstLen; jj += L)
        {
            nuint o = (nuint)(jj * L);
            var r0 = Vector256.LoadUnsafe(ref t0, o); var r1 = Vector256.LoadUnsafe(ref t0, o + L);
            var r2 = Vector256.LoadUnsafe(ref t0, o + 2 * L); var r3 = Vector256.LoadUnsafe(ref t0, o + 3 * L);
            var r4 = Vector256.LoadUnsafe(ref t0, o + 4 * L); var r5 = Vector256.LoadUnsafe(ref t0, o + 5 * L);
            var r6 = Vector256.LoadUnsafe(ref t0, o + 6 * L); var r7 = Vector256.LoadUnsafe(ref t0, o + 7 * L);
            Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            nuint q = (nuint)jj, n = (nuint)dstLen;
            r0.StoreUnsafe(ref d0, q); r1.StoreUnsafe(ref d0, q + n); r2.StoreUnsafe(ref d0, q + 2 * n); r3.StoreUnsafe(ref d0, q + 3 * n);
            r4.StoreUnsafe(ref d0, q + 4 * n); r5.StoreUnsafe(ref d0, q + 5 * n); r6.StoreUnsafe(ref d0, q + 6 * n); r7.StoreUnsafe(ref d0, q + 7 * n);
        }
        for (; jj < dstLen; jj++)
            for (int lane = 0; lane < L; lane++) rows[(dstRow0 + lane) * dstLen + jj] = outT[jj * L + lane];
    }

    /// <summary><see cref="Horizontal256"/> for 4 rows with 128-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first image (DESIGN.md §4)
    public static void Horizontal128(ReadOnlySpan<byte> stage, int len, ResampleTaps taps, Span<float> cols, Span<float> outT,
        Span<float> rows, int dstRow0)
    {
        const int L = 4;
        ref byte s0 = ref MemoryMarshal.GetReference(stage);
        ref float c0 = ref cols[0];
        int j = 0;
        for (; j + L <= len; j += L)
        {
            var r0 = Bytes4(ref Unsafe.Add(ref s0, j)); var r1 = Bytes4(ref Unsafe.Add(ref s0, len + j));
            var r2 = Bytes4(ref Unsafe.Add(ref s0, 2 * len + j)); var r3 = Bytes4(ref Unsafe.Add(ref s0, 3 * len + j));
            Transpose(ref r0, ref r1, ref r2, ref r3);
            nuint o = (nuint)(j * L);
            r0.StoreUnsafe(ref c0, o); r1.StoreUnsafe(ref c0, o + L); r2.StoreUnsafe(ref c0, o + 2 * L); r3.StoreUnsafe(ref c0, o + 3 * L);
        }
        for (; j < len; j++)
            for (int lane = 0; lane < L; lane++) cols[j * L + lane] = stage[lane * len + j];

        var start = taps.Start;
        var count = taps.Count;
        var weights = taps.Weights;
        int stride = taps.Stride;
        ref float t0 = ref outT[0];
        for (int i = 0; i < start.Length; i++)
        {
            Vector128<float> r = Vector128<float>.Zero, g = Vector128<float>.Zero, b = Vector128<float>.Zero;
            var w = weights.Slice(i * stride, count[i]);
            nuint p = (nuint)(start[i] * 3 * L);
            for (int k = 0; k < w.Length; k++, p += 3 * L)
            {
                var wk = Vector128.Create(w[k]);
                r += Vector128.LoadUnsafe(ref c0, p) * wk;
                g += Vector128.LoadUnsafe(ref c0, p + L) * wk;
                b += Vector128.LoadUnsafe(ref c0, p + 2 * L) * wk;
            }
            nuint o = (nuint)(i * 3 * L);
            r.StoreUnsafe(ref t0, o);
            g.StoreUnsafe(ref t0, o + L);
            b.StoreUnsafe(ref t0, o + 2 * L);
        }

        int dstLen = start.Length * 3;
        ref float d0 = ref rows[dstRow0 * dstLen];
        int jj = 0;
        for (; jj + L <= dstLen; jj += L)
        {
            nuint o = (nuint)(jj * L);
            var r0 = Vector128.LoadUnsafe(ref t0, o); var r1 = Vector128.LoadUnsafe(ref t0, o + L);
            var r2 = Vector128.LoadUnsafe(ref t0, o + 2 * L); var r3 = Vector128.LoadUnsafe(ref t0, o + 3 * L);
            Transpose(ref r0, ref r1, ref r2, ref r3);
            nuint q = (nuint)jj, n = (nuint)dstLen;
            r0.StoreUnsafe(ref d0, q); r1.StoreUnsafe(ref d0, q + n); r2.StoreUnsafe(ref d0, q + 2 * n); r3.StoreUnsafe(ref d0, q + 3 * n);
        }
        for (; jj < dstLen; jj++)
            for (int lane = 0; lane < L; lane++) rows[(dstRow0 + lane) * dstLen + jj] = outT[jj * L + lane];
    }

    /// <summary>Vertical pass: <c>row[i] = ((0 + src0[i]*w0) + src1[i]*w1) + ...</c>, as the scalar loop sums it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first image (DESIGN.md §4)
    public static void Vertical(int lanes, ReadOnlySpan<float> rows, int len, int first, ReadOnlySpan<float> w, Span<float> row)
    {
        row = row[..len];
        row.Clear();
        ref float r0 = ref row[0];
        for (int k = 0; k < w.Length; k++)
        {
            var src = rows.Slice((first + k) * len, len);
            ref float s0 = ref MemoryMarshal.GetReference(src);
            float wk = w[k];
            int i = 0;
            if (lanes == 8)
            {
                var v = Vector256.Create(wk);
                for (; i + 8 <= len; i += 8)
                    (Vector256.LoadUnsafe(ref r0, (nuint)i) + Vector256.LoadUnsafe(ref s0, (nuint)i) * v).StoreUnsafe(ref r0, (nuint)i);
            }
            if (lanes >= 4)
            {
                var v = Vector128.Create(wk);
                for (; i + 4 <= len; i += 4)
                    (Vector128.LoadUnsafe(ref r0, (nuint)i) + Vector128.LoadUnsafe(ref s0, (nuint)i) * v).StoreUnsafe(ref r0, (nuint)i);
            }
            for (; i < len; i++) row[i] += src[i] * wk;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Bytes8(ref byte p)
    {
        var v = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref p)).AsByte();
        return Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(v));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Bytes4(ref byte p)
    {
        var v = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref p)).AsByte();
        return Vector128.ConvertToSingle(Vector128.WidenLower(Vector128.WidenLower(v)).AsInt32());
    }

    /// <summary>8x8 transpose (AVX): row k of the result holds element k of every input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(u0, u4, 0x20); r1 = Avx.Permute2x128(u1, u5, 0x20);
        r2 = Avx.Permute2x128(u2, u6, 0x20); r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31); r5 = Avx.Permute2x128(u1, u5, 0x31);
        r6 = Avx.Permute2x128(u2, u6, 0x31); r7 = Avx.Permute2x128(u3, u7, 0x31);
    }

    /// <summary>4x4 transpose: SSE on x86-64, TRN1/TRN2 on ARM64, element moves elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref Vector128<float> r0, ref Vector128<float> r1, ref Vector128<float> r2, ref Vector128<float> r3)
    {
        if (Sse.IsSupported)
        {
            var t0 = Sse.UnpackLow(r0, r1); var t1 = Sse.UnpackLow(r2, r3);
            var t2 = Sse.UnpackHigh(r0, r1); var t3 = Sse.UnpackHigh(r2, r3);
            r0 = Sse.MoveLowToHigh(t0, t1); r1 = Sse.MoveHighToLow(t1, t0);
            r2 = Sse.MoveLowToHigh(t2, t3); r3 = Sse.MoveHighToLow(t3, t2);
        }
        else if (AdvSimd.Arm64.IsSupported)
        {
            var t0 = AdvSimd.Arm64.TransposeEven(r0, r1); var t1 = AdvSimd.Arm64.TransposeOdd(r0, r1);
            var t2 = AdvSimd.Arm64.TransposeEven(r2, r3); var t3 = AdvSimd.Arm64.TransposeOdd(r2, r3);
            r0 = AdvSimd.Arm64.TransposeEven(t0.AsUInt64(), t2.AsUInt64()).AsSingle();
            r2 = AdvSimd.Arm64.TransposeOdd(t0.AsUInt64(), t2.AsUInt64()).AsSingle();
            r1 = AdvSimd.Arm64.TransposeEven(t1.AsUInt64(), t3.AsUInt64()).AsSingle();
            r3 = AdvSimd.Arm64.TransposeOdd(t1.AsUInt64(), t3.AsUInt64()).AsSingle();
        }
        else
        {
            var (a, b, c, d) = (r0, r1, r2, r3);
            r0 = Vector128.Create(a[0], b[0], c[0], d[0]);
            r1 = Vector128.Create(a[1], b[1], c[1], d[1]);
            r2 = Vector128.Create(a[2], b[2], c[2], d[2]);
            r3 = Vector128.Create(a[3], b[3], c[3], d[3]);
        }
    }
}
