using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantKernels.Kernels.Convolution;

/// <summary>
/// AVX2 microkernel: a 6x16 tile (6 activation rows x 16 output channels) in 12 ymm accumulators, 2 weight registers
/// and one broadcast activation pair; <c>vpmaddwd</c> + <c>vpaddd</c> over K pairs (DESIGN.md §4), then bias-initialised
/// accumulators are requantized in registers (fp32 or the exact fixed-point reference) and narrowed to bytes.
/// </summary>
internal static unsafe class Int8Gemm6x16Avx2
{
    /// <summary>Row 0..Rows-1 of block <paramref name="block"/>: the 6-row tile when all 6 rows exist, else one
    /// row at a time (a 6-row tile on a single row, e.g. FULLY_CONNECTED with batch 1, would do 6x the work).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmArgs c, short* w, int block, bool fp32)
    {
        if (c.Rows == PackedInt8Gemm.MR) Tile6(in c, w, block, fp32);
        else for (int r = 0; r < c.Rows; r++) Row1(in c, r, w, block, fp32);
    }

    /// <summary>One row x 16 channels, K unrolled by two pairs into two accumulator sets (independent add chains).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row1(in GemmArgs c, int r, short* w, int block, bool fp32)
    {
        int kPairs = c.KPairs, n0 = block * PackedInt8Gemm.NR;
        int* a = (int*)(c.A + r * c.KPadded);
        Vector256<int> c0 = Avx.LoadVector256(c.Bias + n0), c1 = Avx.LoadVector256(c.Bias + n0 + 8);
        Vector256<int> d0 = Vector256<int>.Zero, d1 = Vector256<int>.Zero;
        int p = 0;
        for (; p + 2 <= kPairs; p += 2)
        {
            Vector256<short> x = Avx2.BroadcastScalarToVector256(a + p).AsInt16();
            Vector256<short> y = Avx2.BroadcastScalarToVector256(a + p + 1).AsInt16();
            c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(w)));
            c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(w + 16)));
            d0 = Avx2.Add(d0, Avx2.MultiplyAddAdjacent(y, Avx.LoadVector256(w + 32)));
            d1 = Avx2.Add(d1, Avx2.MultiplyAddAdjacent(y, Avx.LoadVector256(w + 48)));
            w += 64;
        }
        if (p < kPairs)
        {
            Vector256<short> x = Avx2.BroadcastScalarToVector256(a + p).AsInt16();
            c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(w)));
            c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(w + 16)));
        }
        Finish(in c, r, Avx2.Add(c0, d0), Avx2.Add(c1, d1), n0, block, fp32);
    }

    /// <summary><see cref="Row1"/> over the compact int8 copy of the packed weights: each 16-byte load is widened
    /// to 16 int16 by <c>vpmovsxbw</c> (exact: the packed values are w - zpW and were checked to fit int8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row1Compact(in GemmArgs c, int r, sbyte* w, int block, bool fp32)
    {
        int kPairs = c.KPairs, n0 = block * PackedInt8Gemm.NR;
        int* a = (int*)(c.A + r * c.KPadded);
        Vector256<int> c0 = Avx.LoadVector256(c.Bias + n0), c1 = Avx.LoadVector256(c.Bias + n0 + 8);
        Vector256<int> d0 = Vector256<int>.Zero, d1 = Vector256<int>.Zero;
        int p = 0;
        for (; p + 2 <= kPairs; p += 2)
        {
            Vector256<short> x = Avx2.BroadcastScalarToVector256(a + p).AsInt16();
            Vector256<short> y = Avx2.BroadcastScalarToVector256(a + p + 1).AsInt16();
            c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(x, Avx2.ConvertToVector256Int16(w)));
            c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(x, Avx2.ConvertToVector256Int16(w + 16)));
            d0 = Avx2.Add(d0, Avx2.MultiplyAddAdjacent(y, Avx2.ConvertToVector256Int16(w + 32)));
            d1 = Avx2.Add(d1, Avx2.MultiplyAddAdjacent(y, Avx2.ConvertToVector256Int16(w + 48)));
            w += 64;
        }
        if (p < kPairs)
        {
            Vector256<short> x = Avx2.BroadcastScalarToVector256(a + p).AsInt16();
            c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(x, Avx2.ConvertToVector256Int16(w)));
            c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(x, Avx2.ConvertToVector256Int16(w + 16)));
        }
        Finish(in c, r, Avx2.Add(c0, d0), Avx2.Add(c1, d1), n0, block, fp32);
    }

    /// <summary>Requantizes one row's 16 accumulators and stores the block's valid channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Finish(in GemmArgs c, int r, Vector256<int> c0, Vector256<int> c1, int n0, int block, bool fp32)
    {
        byte* o = c.Output + r * c.N + n0;
        int valid = c.Valid(block);
        if (fp32)
        {
            Vector256<float> lo = Vector256.Create((float)(c.OutputMin - c.OutputZeroPoint));
            Vector256<float> hi = Vector256.Create((float)(c.OutputMax - c.OutputZeroPoint));
            Store(Fp32(c0, c1, Avx.LoadVector256(c.Scales + n0), Avx.LoadVector256(c.Scales + n0 + 8), lo, hi,
                Vector256.Create(c.OutputZeroPoint), c.Unsigned), o, valid);
        }
        else
        {
            Store(new FixedPointRequant(in c, n0).Apply(c0, c1, c.Unsigned), o, valid);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6(in GemmArgs c, short* w, int block, bool fp32)
    {
        int rows = c.Rows, kPairs = c.KPairs, n0 = block * PackedInt8Gemm.NR;
        // Rows past the end read row 0 again (valid memory); their results are never stored.
        int* a0 = (int*)c.A;
        int* a1 = rows > 1 ? (int*)(c.A + c.KPadded) : a0;
        int* a2 = rows > 2 ? (int*)(c.A + 2 * c.KPadded) : a0;
        int* a3 = rows > 3 ? (int*)(c.A + 3 * c.KPadded) : a0;
        int* a4 = rows > 4 ? (int*)(c.A + 4 * c.KPadded) : a0;
        int* a5 = rows > 5 ? (int*)(c.A + 5 * c.KPadded) : a0;

        Vector256<int> b0 = Avx.LoadVector256(c.Bias + n0), b1 = Avx.LoadVector256(c.Bias + n0 + 8);
        Vector256<int> c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1;
        Vector256<int> c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        for (int p = 0; p < kPairs; p++)
        {
            Vector256<short> w0 = Avx.LoadVector256(w);
            Vector256<short> w1 = Avx.LoadVector256(w + 16);
            w += 32;
            Vector256<short> x = Avx2.BroadcastScalarToVector256(a0 + p).AsInt16();
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(x, w0));
            c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(x, w1));
            x = Avx2.BroadcastScalarToVector256(a1 + p).AsInt16();
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(x, w0));
            c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(x, w1));
            x = Avx2.BroadcastScalarToVector256(a2 + p).AsInt16();
            c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(x, w0));
            c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(x, w1));
            x = Avx2.BroadcastScalarToVector256(a3 + p).AsInt16();
            c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(x, w0));
            c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(x, w1));
            x = Avx2.BroadcastScalarToVector256(a4 + p).AsInt16();
            c40 = Avx2.Add(c40, Avx2.MultiplyAddAdjacent(x, w0));
            c41 = Avx2.Add(c41, Avx2.MultiplyAddAdjacent(x, w1));
            x = Avx2.BroadcastScalarToVector256(a5 + p).AsInt16();
            c50 = Avx2.Add(c50, Avx2.MultiplyAddAdjacent(x, w0));
            c51 = Avx2.Add(c51, Avx2.MultiplyAddAdjacent(x, w1));
        }

        Finish6(in c, block, fp32, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>Requantizes and stores rows 0..Rows-1 of a 6x16 tile's accumulators (row r in cr0, cr1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Finish6(in GemmArgs c, int block, bool fp32,
        Vector256<int> c00, Vector256<int> c01, Vector256<int> c10, Vector256<int> c11, Vector256<int> c20, Vector256<int> c21,
        Vector256<int> c30, Vector256<int> c31, Vector256<int> c40, Vector256<int> c41, Vector256<int> c50, Vector256<int> c51)
    {
        int rows = c.Rows, n0 = block * PackedInt8Gemm.NR;
        int valid = c.Valid(block);
        byte* o = c.Output + n0;
        int n = c.N;
        bool unsigned = c.Unsigned;
        if (fp32)
        {
            Vector256<float> s0 = Avx.LoadVector256(c.Scales + n0), s1 = Avx.LoadVector256(c.Scales + n0 + 8);
            Vector256<float> lo = Vector256.Create((float)(c.OutputMin - c.OutputZeroPoint));
            Vector256<float> hi = Vector256.Create((float)(c.OutputMax - c.OutputZeroPoint));
            Vector256<int> zp = Vector256.Create(c.OutputZeroPoint);
            Store(Fp32(c00, c01, s0, s1, lo, hi, zp, unsigned), o, valid);
            if (rows > 1) Store(Fp32(c10, c11, s0, s1, lo, hi, zp, unsigned), o + n, valid);
            if (rows > 2) Store(Fp32(c20, c21, s0, s1, lo, hi, zp, unsigned), o + 2 * n, valid);
            if (rows > 3) Store(Fp32(c30, c31, s0, s1, lo, hi, zp, unsigned), o + 3 * n, valid);
            if (rows > 4) Store(Fp32(c40, c41, s0, s1, lo, hi, zp, unsigned), o + 4 * n, valid);
            if (rows > 5) Store(Fp32(c50, c51, s0, s1, lo, hi, zp, unsigned), o + 5 * n, valid);
        }
        else
        {
            var q = new FixedPointRequant(in c, n0);
            Store(q.Apply(c00, c01, unsigned), o, valid);
            if (rows > 1) Store(q.Apply(c10, c11, unsigned), o + n, valid);
            if (rows > 2) Store(q.Apply(c20, c21, unsigned), o + 2 * n, valid);
            if (rows > 3) Store(q.Apply(c30, c31, unsigned), o + 3 * n, valid);
            if (rows > 4) Store(q.Apply(c40, c41, unsigned), o + 4 * n, valid);
            if (rows > 5) Store(q.Apply(c50, c51, unsigned), o + 5 * n, valid);
        }
    }

    /// <summary>xnnpack fp32: clamp((float)acc * scale, min - zp, max - zp), convert with the MXCSR default
    /// round-half-to-even (<c>vcvtps2dq</c>), add zp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<byte> Fp32(Vector256<int> a0, Vector256<int> a1, Vector256<float> s0, Vector256<float> s1,
        Vector256<float> lo, Vector256<float> hi, Vector256<int> zp, bool unsigned)
    {
        Vector256<float> f0 = Avx.Multiply(Avx.ConvertToVector256Single(a0), s0);
        Vector256<float> f1 = Avx.Multiply(Avx.ConvertToVector256Single(a1), s1);
        f0 = Avx.Min(Avx.Max(f0, lo), hi);
        f1 = Avx.Min(Avx.Max(f1, lo), hi);
        Vector256<int> q0 = Avx2.Add(Avx.ConvertToVector256Int32(f0), zp);
        Vector256<int> q1 = Avx2.Add(Avx.ConvertToVector256Int32(f1), zp);
        return Narrow(q0, q1, unsigned);
    }

    /// <summary>16 int32 already inside the output type's range -> 16 bytes in channel order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<byte> Narrow(Vector256<int> q0, Vector256<int> q1, bool unsigned)
    {
        // packssdw interleaves 128-bit lanes: (q0 0-3, q1 0-3, q0 4-7, q1 4-7); 0xD8 restores channel order.
        Vector256<short> s = Avx2.Permute4x64(Avx2.PackSignedSaturate(q0, q1).AsInt64(), 0b11_01_10_00).AsInt16();
        return unsigned
            ? Sse2.PackUnsignedSaturate(s.GetLower(), s.GetUpper())
            : Sse2.PackSignedSaturate(s.GetLower(), s.GetUpper()).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store(Vector128<byte> v, byte* dst, int valid)
    {
        if (valid == PackedInt8Gemm.NR) Sse2.Store(dst, v);
        else StorePartial(v, dst, valid);
    }

    /// <summary>Partial last block: a full store would run past the row (and past the tensor on the last row).
    /// Kept out of line so the microkernel's frame stays small (no stackalloc, no security cookie).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StorePartial(Vector128<byte> v, byte* dst, int valid)
    {
        byte* tmp = stackalloc byte[PackedInt8Gemm.NR];
        Sse2.Store(tmp, v);
        for (int j = 0; j < valid; j++) dst[j] = tmp[j];
    }
}

/// <summary>
/// The reference convention, vectorized exactly: x &lt;&lt; left, SaturatingRoundingDoublingHighMul by a multiplier in
/// [0, 2^31) (never INT32_MIN, so the saturating case cannot occur), RoundingDivideByPOT(right), + zp, clamp.
/// SRDHM: the gemmlowp nudge/truncation pair equals floor((a*b + 2^30) / 2^31) for both signs of a*b, and since the
/// result fits int32, the low 32 bits of the 64-bit logical shift are the arithmetic shift's (no vpsraq needed).
/// </summary>
internal readonly unsafe struct FixedPointRequant
{
    private readonly Vector256<int> _m0, _m1, _l0, _l1, _r0, _r1, _zp, _min, _max;

    public FixedPointRequant(in GemmArgs c, int n0)
    {
        _m0 = Avx.LoadVector256(c.Multipliers + n0); _m1 = Avx.LoadVector256(c.Multipliers + n0 + 8);
        _l0 = Avx.LoadVector256(c.LeftShifts + n0); _l1 = Avx.LoadVector256(c.LeftShifts + n0 + 8);
        _r0 = Avx.LoadVector256(c.RightShifts + n0); _r1 = Avx.LoadVector256(c.RightShifts + n0 + 8);
        _zp = Vector256.Create(c.OutputZeroPoint);
        _min = Vector256.Create(c.OutputMin);
        _max = Vector256.Create(c.OutputMax);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> Apply(Vector256<int> a0, Vector256<int> a1, bool unsigned)
    {
        Vector256<int> q0 = One(a0, _m0, _l0, _r0), q1 = One(a1, _m1, _l1, _r1);
        q0 = Avx2.Min(Avx2.Max(Avx2.Add(q0, _zp), _min), _max);
        q1 = Avx2.Min(Avx2.Max(Avx2.Add(q1, _zp), _min), _max);
        return Int8Gemm6x16Avx2.Narrow(q0, q1, unsigned);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> One(Vector256<int> x, Vector256<int> m, Vector256<int> left, Vector256<int> right)
    {
        x = Avx2.ShiftLeftLogicalVariable(x, left.AsUInt32()); // wraps like unchecked x * (1 << left)
        Vector256<long> round = Vector256.Create(1L << 30);
        // vpmuldq multiplies the signed even lanes; the odd lanes are moved down first.
        Vector256<long> even = Avx2.Add(Avx2.Multiply(x, m), round);
        Vector256<long> odd = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(x.AsInt64(), 32).AsInt32(),
            Avx2.ShiftRightLogical(m.AsInt64(), 32).AsInt32()), round);
        Vector256<int> lowEven = Avx2.ShiftRightLogical(even, 31).AsInt32();
        Vector256<int> highOdd = Avx2.ShiftLeftLogical(odd, 1).AsInt32(); // bits 31..62 land in the odd int32 lane
        Vector256<int> h = Avx2.Blend(lowEven, highOdd, 0b1010_1010);
        // RoundingDivideByPOT: (h >> e) + ((h & mask) > (mask >> 1) + (h < 0)).
        Vector256<int> mask = Avx2.Subtract(Avx2.ShiftLeftLogicalVariable(Vector256.Create(1), right.AsUInt32()), Vector256.Create(1));
        Vector256<int> remainder = Avx2.And(h, mask);
        Vector256<int> threshold = Avx2.Subtract(Avx2.ShiftRightArithmetic(mask, 1),
            Avx2.CompareGreaterThan(Vector256<int>.Zero, h)); // h < 0 gives -1, so subtracting adds 1
        Vector256<int> up = Avx2.CompareGreaterThan(remainder, threshold); // -1 where rounding up
        return Avx2.Subtract(Avx2.ShiftRightArithmeticVariable(h, right.AsUInt32()), up);
    }
}
