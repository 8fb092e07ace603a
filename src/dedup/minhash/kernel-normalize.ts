/**
 * In-kernel normalization and word splitting of lowercased, NFD-normalized UTF-8 text (ASCII text
 * may still have uppercase letters), rewritten in place as its whitespace words joined by single
 * spaces, with each word's starting byte offset in `starts` and `starts[words] = length + 1`.
 * Returns the number of words, or -1 at the first 4-byte (astral) character.
 *
 * Per character, by its class byte in the 64 KiB table at `table` (`unicode-tables.ts`):
 * KEEP is copied, UPPER lowercased, DROP (Mn) skipped, SEP ends the word; DIGIT starts a number,
 * which runs over digits and at most one decimal separator followed by digits, and is written as
 * "0". The output never outruns the input (a gap space replaces at least one separator byte), so
 * rewriting in place is safe.
 */

/** Decodes the UTF-8 character at `pos` into cp and n (its byte length); -1 return if astral. */
const decode = (pos: string, cp: string, n: string): string => `
  local.get src local.get ${pos} i32.add i32.load8_u local.tee c
  i32.const 0x80 i32.lt_u
  if
    local.get c local.set ${cp} i32.const 1 local.set ${n}
  else
    local.get c i32.const 0xe0 i32.lt_u
    if
      local.get c i32.const 0x1f i32.and i32.const 6 i32.shl
      local.get src local.get ${pos} i32.add i32.load8_u offset=1 i32.const 0x3f i32.and i32.or
      local.set ${cp} i32.const 2 local.set ${n}
    else
      local.get c i32.const 0xf0 i32.ge_u
      if i32.const -1 return end
      local.get c i32.const 0x0f i32.and i32.const 12 i32.shl
      local.get src local.get ${pos} i32.add i32.load8_u offset=1 i32.const 0x3f i32.and i32.const 6 i32.shl i32.or
      local.get src local.get ${pos} i32.add i32.load8_u offset=2 i32.const 0x3f i32.and i32.or
      local.set ${cp} i32.const 3 local.set ${n}
    end
  end
`;

/** Class byte of code point `cp`. */
const kindOf = (cp: string): string => `local.get table local.get ${cp} i32.add i32.load8_u`;

/** Starts a word if a gap is pending (writes the separating space). */
const openWord = `
  local.get gap
  if
    local.get o
    if
      local.get src local.get o i32.add i32.const 32 i32.store8
      local.get o i32.const 1 i32.add local.set o
    end
    local.get starts local.get words i32.const 2 i32.shl i32.add local.get o i32.store
    local.get words i32.const 1 i32.add local.set words
    i32.const 0 local.set gap
  end
`;

/** Advances i over digit characters. */
const skipDigits = `
  block $digitsDone loop $digits
    local.get i local.get len i32.ge_u br_if $digitsDone
    ${decode('i', 'cp2', 'n2')}
    ${kindOf('cp2')} i32.const 15 i32.and i32.const 3 i32.ne br_if $digitsDone
    local.get i local.get n2 i32.add local.set i
    br $digits
  end end
`;

export const NORMALIZE_BODY = `
  i32.const 1 local.set gap
  block $done loop $next
    local.get i local.get len i32.ge_u br_if $done
    ;; fast path: a run of ASCII lowercase letters
    local.get src local.get i i32.add i32.load8_u local.tee c
    i32.const 97 i32.sub i32.const 26 i32.lt_u
    if
      ${openWord}
      loop $letters
        local.get src local.get o i32.add local.get c i32.store8
        local.get o i32.const 1 i32.add local.set o
        local.get i i32.const 1 i32.add local.tee i local.get len i32.lt_u
        if
          local.get src local.get i i32.add i32.load8_u local.tee c
          i32.const 97 i32.sub i32.const 26 i32.lt_u br_if $letters
        end
      end
      br $next
    end
    ${decode('i', 'cp', 'n')}
    ${kindOf('cp')} i32.const 15 i32.and local.tee k
    i32.const 2 i32.eq
    if ;; SEP
      i32.const 1 local.set gap
      local.get i local.get n i32.add local.set i
      br $next
    end
    local.get k i32.const 4 i32.eq
    if ;; DROP
      local.get i local.get n i32.add local.set i
      br $next
    end
    local.get k i32.const 5 i32.eq
    if i32.const -1 return end
    local.get k i32.const 3 i32.eq
    if ;; DIGIT: a number becomes "0"
      local.get i local.get n i32.add local.set i
      ${skipDigits}
      local.get i local.get len i32.lt_u
      if
        ${decode('i', 'cp2', 'n2')}
        ${kindOf('cp2')} i32.const 0x10 i32.and
        if
          local.get i local.get n2 i32.add local.tee j local.get len i32.lt_u
          if
            ${decode('j', 'cp3', 'n3')}
            ${kindOf('cp3')} i32.const 15 i32.and i32.const 3 i32.eq
            if
              local.get j local.get n3 i32.add local.set i
              ${skipDigits}
            end
          end
        end
      end
      ${openWord}
      local.get src local.get o i32.add i32.const 48 i32.store8
      local.get o i32.const 1 i32.add local.set o
      br $next
    end
    ;; KEEP or UPPER: copy the character
    ${openWord}
    local.get k i32.const 1 i32.eq
    if
      local.get src local.get o i32.add local.get c i32.const 32 i32.or i32.store8
    else
      local.get src local.get o i32.add local.get c i32.store8
      local.get n i32.const 1 i32.gt_u
      if
        local.get src local.get o i32.add local.get src local.get i i32.add i32.load8_u offset=1 i32.store8 offset=1
        local.get n i32.const 2 i32.gt_u
        if
          local.get src local.get o i32.add local.get src local.get i i32.add i32.load8_u offset=2 i32.store8 offset=2
        end
      end
    end
    local.get o local.get n i32.add local.set o
    local.get i local.get n i32.add local.set i
    br $next
  end end
  local.get starts local.get words i32.const 2 i32.shl i32.add local.get o i32.const 1 i32.add i32.store
  local.get words
`;

export const NORMALIZE_PARAMS: [string, 'i32'][] = [['src', 'i32'], ['len', 'i32'], ['starts', 'i32'], ['table', 'i32']];

export const NORMALIZE_LOCALS: [string, 'i32'][] = [
  ['i', 'i32'], ['o', 'i32'], ['j', 'i32'], ['words', 'i32'], ['gap', 'i32'], ['k', 'i32'], ['c', 'i32'],
  ['cp', 'i32'], ['n', 'i32'], ['cp2', 'i32'], ['n2', 'i32'], ['cp3', 'i32'], ['n3', 'i32'],
];
