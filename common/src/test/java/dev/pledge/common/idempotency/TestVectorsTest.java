package dev.pledge.common.idempotency;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixed vectors listed in common/README.md; any other implementation must produce the same. */
class TestVectorsTest {

    @ParameterizedTest(name = "{0} item {1}")
    @CsvSource({
            "pledge-test-vector-1, 0, 6d08df899f044790106e2606224be98e9c7c8c503c1669a5b6514994668b75ba, 3fc891a0-01e7-5e91-a278-a8ced6bd3961, pledge-6d08df899f044790106e2606224be98e9c7c8c503c1669a5, pledge-6d08df899f044790106e260",
            "pledge-test-vector-1, 1, d81b39612d41e3f117e3b4f0b1ce05f4a6ada31257191b6f645eba1bf1642d0a, 70f56410-e772-5463-b9f3-8f4fc899dd71, pledge-d81b39612d41e3f117e3b4f0b1ce05f4a6ada31257191b6f, pledge-d81b39612d41e3f117e3b4f",
            "0123456789abcdef0123456789abcdef, 0, ca6f1a8710df6d0d4232f2ea641de69c9807039d58a19336eaacf90510e55478, a003ac63-f744-523b-a430-29658c845cb8, pledge-ca6f1a8710df6d0d4232f2ea641de69c9807039d58a19336, pledge-ca6f1a8710df6d0d4232f2e",
            "0123456789abcdef0123456789abcdef, 1, c356cbaed2f99a897958a23567ebe5bcd8a308318464c2bfb0a9853c06377050, f047b3b1-925f-50b7-8c10-6343c79527ef, pledge-c356cbaed2f99a897958a23567ebe5bcd8a308318464c2bf, pledge-c356cbaed2f99a897958a23",
    })
    void derivations_match_the_published_vectors(String executionToken, int position, String itemToken,
                                                 String uuid, String rfc1035, String id30) {
        ItemToken item = new ExecutionToken(executionToken).item(position);

        assertThat(item.hex()).isEqualTo(itemToken);
        assertThat(item.uuid()).hasToString(uuid);
        assertThat(KeyDerivation.rfc1035Name(item, "pledge-")).isEqualTo(rfc1035);
        assertThat(KeyDerivation.reservationId(item, "pledge-", 30, KeyCharset.LOWER_ALNUM_HYPHEN)).isEqualTo(id30);
    }
}
