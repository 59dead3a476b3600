using System.Buffers.Binary;
using System.Text;

namespace Trm.IO;

/// <summary>A reference to a Python global (<c>module.name</c>) met in a pickle.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A Python tuple; kept apart from lists so callers can tell them apart.</summary>
public sealed record PickleTuple(object?[] Items);

/// <summary>A Python dict, in insertion order.</summary>
public sealed class PickleDict : List<KeyValuePair<object, object?>>;

/// <summary>
/// A small, safe unpickler for the subset of the pickle protocol (0-4 opcodes, as written by
/// protocol 2 and by newer pythons) that <c>torch.save</c> uses for state dicts. It never runs
/// code: globals are handed to <see cref="Reduce"/> which builds only what the caller allows,
/// and persistent ids go to <see cref="PersistentLoad"/>. Every length the pickle declares is checked against
/// what remains of <paramref name="stream"/> (which must be seekable) before anything is allocated.
/// </summary>
public sealed class Unpickler(Stream stream, string source)
{
    /// <summary>Longest GLOBAL name line (module or attribute) read.</summary>
    const int MaxLine = 1024;

    /// <summary>Applies a global callable to its argument tuple (REDUCE and NEWOBJ).</summary>
    public required Func<PickleGlobal, object?[], object?> Reduce { get; init; }

    /// <summary>Resolves a persistent id (BINPERSID), e.g. torch's storage tuples.</summary>
    public required Func<object?, object?> PersistentLoad { get; init; }

    readonly BinaryReader reader = new(stream, Encoding.UTF8, leaveOpen: true);
    readonly List<object?> stack = [];
    readonly Stack<int> marks = new();
    readonly Dictionary<long, object?> memo = [];

    public object? Load()
    {
        try
        {
            while (true)
            {
                byte op = reader.ReadByte();
                switch (op)
                {
                    case 0x80: reader.ReadByte(); break;                                  // PROTO
                    case 0x95: reader.ReadInt64(); break;                                 // FRAME
                    case (byte)'.': return Pop();                                         // STOP
                    case (byte)'(': marks.Push(stack.Count); break;                       // MARK
                    case (byte)'}': stack.Add(new PickleDict()); break;                   // EMPTY_DICT
                    case (byte)']': stack.Add(new List<object?>()); break;                // EMPTY_LIST
                    case (byte)')': stack.Add(new PickleTuple([])); break;                // EMPTY_TUPLE
                    case (byte)'N': stack.Add(null); break;                               // NONE
                    case 0x88: stack.Add(true); break;                                    // NEWTRUE
                    case 0x89: stack.Add(false); break;                                   // NEWFALSE
                    case (byte)'K': stack.Add((long)reader.ReadByte()); break;            // BININT1
                    case (byte)'M': stack.Add((long)reader.ReadUInt16()); break;          // BININT2
                    case (byte)'J': stack.Add((long)reader.ReadInt32()); break;           // BININT
                    case 0x8a: stack.Add(ReadLong1()); break;                             // LONG1
                    case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8, "BINFLOAT"))); break; // BINFLOAT
                    case (byte)'X': stack.Add(ReadUtf8(reader.ReadUInt32(), "BINUNICODE")); break; // BINUNICODE
                    case 0x8c: stack.Add(ReadUtf8(reader.ReadByte(), "SHORT_BINUNICODE")); break; // SHORT_BINUNICODE
                    case (byte)'T': stack.Add(ReadUtf8(reader.ReadInt32(), "BINSTRING")); break; // BINSTRING
                    case (byte)'U': stack.Add(ReadUtf8(reader.ReadByte(), "SHORT_BINSTRING")); break; // SHORT_BINSTRING
                    case (byte)'B': stack.Add(Take(reader.ReadUInt32(), "BINBYTES")); break; // BINBYTES
                    case (byte)'C': stack.Add(Take(reader.ReadByte(), "SHORT_BINBYTES")); break; // SHORT_BINBYTES
                    case (byte)'q': memo[reader.ReadByte()] = Peek(); break;              // BINPUT
                    case (byte)'r': memo[reader.ReadUInt32()] = Peek(); break;            // LONG_BINPUT
                    case 0x94: memo[memo.Count] = Peek(); break;                          // MEMOIZE
                    case (byte)'h': stack.Add(Memo(reader.ReadByte())); break;            // BINGET
                    case (byte)'j': stack.Add(Memo(reader.ReadUInt32())); break;          // LONG_BINGET
                    case (byte)'c': stack.Add(new PickleGlobal(ReadLine(), ReadLine())); break; // GLOBAL
                    case 0x93: { var name = PopString(); stack.Add(new PickleGlobal(PopString(), name)); break; } // STACK_GLOBAL
                    case (byte)'t': stack.Add(new PickleTuple(PopMark())); break;         // TUPLE
                    case 0x85: stack.Add(new PickleTuple([Pop()])); break;                // TUPLE1
                    case 0x86: { var b = Pop(); stack.Add(new PickleTuple([Pop(), b])); break; } // TUPLE2
                    case 0x87: { var c = Pop(); var b = Pop(); stack.Add(new PickleTuple([Pop(), b, c])); break; } // TUPLE3
                    case (byte)'a': { var v = Pop(); AsList(Peek()).Add(v); break; }      // APPEND
                    case (byte)'e': { var items = PopMark(); AsList(Peek()).AddRange(items); break; } // APPENDS
                    case (byte)'s': { var v = Pop(); var k = Pop()!; AsDict(Peek()).Add(new(k, v)); break; } // SETITEM
                    case (byte)'u': SetItems(PopMark()); break;                           // SETITEMS
                    case (byte)'Q': stack.Add(PersistentLoad(Pop())); break;              // BINPERSID
                    case (byte)'R' or 0x81:                                               // REDUCE, NEWOBJ
                    {
                        var args = AsTuple(Pop()).Items;
                        var callable = Pop() as PickleGlobal ?? throw Bad("REDUCE on something that is not a global");
                        stack.Add(Reduce(callable, args));
                        break;
                    }
                    case (byte)'b': Pop(); break; // BUILD: object state (e.g. a state dict's _metadata) is not needed
                    default: throw Bad($"unsupported pickle opcode 0x{op:x2}");
                }
            }
        }
        catch (EndOfStreamException)
        {
            throw new TrmException($"{source}: the pickled data ends early; the file is truncated or damaged.");
        }
    }

    void SetItems(object?[] items)
    {
        var dict = AsDict(Peek());
        for (int i = 0; i + 1 < items.Length; i += 2) dict.Add(new(items[i]!, items[i + 1]));
    }

    object? Pop()
    {
        if (stack.Count == 0) throw Bad("stack underflow");
        var top = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return top;
    }

    object? Peek() => stack.Count > 0 ? stack[^1] : throw Bad("stack underflow");

    object?[] PopMark()
    {
        if (marks.Count == 0) throw Bad("missing MARK");
        int start = marks.Pop();
        var items = stack.GetRange(start, stack.Count - start).ToArray();
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    object? Memo(long key) => memo.TryGetValue(key, out var v) ? v : throw Bad($"unknown memo key {key}");

    long ReadLong1()
    {
        var bytes = Take(reader.ReadByte(), "LONG1");
        if (bytes.Length > 8) throw Bad("integer too large");
        long value = 0;
        for (int i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0) value -= 1L << (8 * bytes.Length); // sign-extend
        return value;
    }

    string ReadUtf8(long length, string opcode) => Encoding.UTF8.GetString(Take(length, opcode));

    /// <summary>The next <paramref name="length"/> bytes, refused before allocating when the pickle does not hold that many.</summary>
    byte[] Take(long length, string opcode)
    {
        long remaining = stream.Length - stream.Position;
        if (length < 0 || length > remaining)
            throw Bad($"{opcode} declares {length} bytes, but only {remaining} remain in the pickle");
        return reader.ReadBytes((int)length);
    }

    string PopString() => Pop() as string ?? throw Bad("STACK_GLOBAL names that are not strings");

    string ReadLine()
    {
        var sb = new StringBuilder();
        for (char c = (char)reader.ReadByte(); c != '\n'; c = (char)reader.ReadByte())
            if (sb.Append(c).Length > MaxLine) throw Bad($"a GLOBAL name longer than {MaxLine} characters");
        return sb.ToString();
    }

    List<object?> AsList(object? o) => o as List<object?> ?? throw Bad("APPEND to something that is not a list");
    PickleDict AsDict(object? o) => o as PickleDict ?? throw Bad("SETITEM on something that is not a dict");
    PickleTuple AsTuple(object? o) => o as PickleTuple ?? throw Bad("arguments are not a tuple");
    TrmException Bad(string what) => new($"{source}: unreadable pickle ({what}); the file is damaged or not a PyTorch checkpoint.");
}
