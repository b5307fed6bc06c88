package dev.flyover.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DynoSizesTest {
  @Test
  void everyMappingHasAtLeastTheDynosMemory() {
    DynoSizes.table().values().forEach(m -> assertTrue(m.flyMemoryMb() >= m.herokuMemoryMb(), m.toString()));
  }

  @Test
  void herokuNamesInAnyCasing() {
    assertEquals("shared-cpu-1x", DynoSizes.forHeroku("Standard-1X").get().flySize());
    assertEquals("performance-1x", DynoSizes.forHeroku("Performance-M").get().flySize());
    assertEquals(3072, DynoSizes.forHeroku("performance-m").get().flyMemoryMb());
    assertTrue(DynoSizes.forHeroku("Hobby-9000").isEmpty());
  }

  @Test
  void apexDomains() {
    assertTrue(CertificatesStep.apex("shop.example"));
    assertTrue(CertificatesStep.apex("shop.co.uk"));
    assertTrue(!CertificatesStep.apex("www.shop.example"));
    assertTrue(!CertificatesStep.apex("www.shop.co.uk"));
  }
}
